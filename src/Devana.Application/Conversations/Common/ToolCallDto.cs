using Devana.Domain.Conversations;

namespace Devana.Application.Conversations.Common;

/// <summary>OpenAI's <c>tool_calls[]</c> item: a call of one of the caller's functions.</summary>
public sealed record ToolCallDto(string Id, FunctionCallDto Function)
{
    public string Type => "function";

    public static ToolCallDto From(ToolCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new ToolCallDto(call.Id, new FunctionCallDto(call.Name, call.Arguments));
    }
}

/// <summary>The called function's name and the JSON text of its arguments, as the LLM wrote it.</summary>
public sealed record FunctionCallDto(string Name, string Arguments);
