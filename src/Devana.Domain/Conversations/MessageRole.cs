namespace Devana.Domain.Conversations;

public enum MessageRole
{
    System,
    User,
    Assistant,

    /// <summary>The result of a tool call, sent by the caller (OpenAI's <c>tool</c> role).</summary>
    Tool,
}
