namespace Devana.Domain.Conversations;

/// <summary>Tokens one LLM call read and wrote.</summary>
public sealed record TokenUsage(int PromptTokens, int CompletionTokens)
{
    public static readonly TokenUsage None = new(0, 0);

    public int TotalTokens => PromptTokens + CompletionTokens;

    public static TokenUsage operator +(TokenUsage left, TokenUsage right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new TokenUsage(left.PromptTokens + right.PromptTokens, left.CompletionTokens + right.CompletionTokens);
    }

    public static TokenUsage Add(TokenUsage left, TokenUsage right) => left + right;
}
