namespace Devana.Domain.Conversations;

/// <summary>
/// One message the caller sends: a user or assistant turn, an assistant turn that called tools
/// (<paramref name="ToolCalls"/>), or a <see cref="MessageRole.Tool"/> turn answering the call <paramref name="ToolCallId"/>.
/// </summary>
public sealed record ConversationTurn(MessageRole Role, string Content, IReadOnlyList<ToolCall>? ToolCalls = null, string? ToolCallId = null);
