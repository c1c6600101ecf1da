namespace Devana.Domain.Conversations;

/// <summary>
/// A call of one of the caller's functions that an LLM asked for (OpenAI's <c>tool_calls[]</c> item):
/// Devana stores and replays it but never runs it. <paramref name="Arguments"/> is the JSON text the LLM wrote.
/// </summary>
public sealed record ToolCall(string Id, string Name, string Arguments);
