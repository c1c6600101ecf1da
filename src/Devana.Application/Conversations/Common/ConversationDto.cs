namespace Devana.Application.Conversations.Common;

/// <summary>The conversation object (docs/api.md#conversations).</summary>
public sealed record ConversationDto
{
    public string Id { get; init; } = null!;

    public string Object => "conversation";

    public string AgentId { get; init; } = null!;

    public string Title { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public int MessageCount { get; init; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }
}
