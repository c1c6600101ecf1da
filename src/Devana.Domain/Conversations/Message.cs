using Devana.Domain.Common;

namespace Devana.Domain.Conversations;

/// <summary>One turn of a conversation: a user turn, or one choice of an assistant answer.</summary>
public sealed class Message : Entity
{
    private List<string> _fileIds = [];

    private Message()
    {
    }

    public string Id { get; private set; } = null!;

    public string ConversationId { get; private set; } = null!;

    /// <summary>Order within the conversation (1, 2, …); the choices of one answer share a sequence.</summary>
    public int Sequence { get; private set; }

    public MessageRole Role { get; private set; }

    public string Content { get; private set; } = string.Empty;

    /// <summary>For assistant messages: which of the n choices this is (0 continues the conversation).</summary>
    public int ChoiceIndex { get; private set; }

    public MessageStatus Status { get; private set; }

    /// <summary>The LLM that answered (assistant) or was asked (user).</summary>
    public string? ClientModel { get; private set; }

    /// <summary><c>stop</c>, <c>length</c>, <c>content_filter</c> or <c>cancelled</c> (assistant messages).</summary>
    public string? FinishReason { get; private set; }

    public TokenUsage? Usage { get; private set; }

    public long? LatencyMs { get; private set; }

    /// <summary>Why the turn failed, for <see cref="MessageStatus.Failed"/> user turns.</summary>
    public string? Error { get; private set; }

    public IReadOnlyList<string> FileIds => _fileIds;

    public DateTimeOffset CreatedAt { get; private set; }

    internal static Message UserTurn(string conversationId, int sequence, MessageRole role, string content, string? clientModel, IEnumerable<string> fileIds, DateTimeOffset now) => new()
    {
        Id = PrefixedId.New(IdPrefixes.Message),
        ConversationId = conversationId,
        Sequence = sequence,
        Role = role,
        Content = content,
        Status = role == MessageRole.User ? MessageStatus.Pending : MessageStatus.Completed,
        ClientModel = clientModel,
        _fileIds = fileIds.ToList(),
        CreatedAt = now,
    };

    internal static Message Answer(string id, string conversationId, int sequence, int choiceIndex, string content, string clientModel, string finishReason, TokenUsage usage, long latencyMs, DateTimeOffset now) => new()
    {
        Id = id,
        ConversationId = conversationId,
        Sequence = sequence,
        Role = MessageRole.Assistant,
        ChoiceIndex = choiceIndex,
        Content = content,
        Status = MessageStatus.Completed,
        ClientModel = clientModel,
        FinishReason = finishReason,
        Usage = usage,
        LatencyMs = latencyMs,
        CreatedAt = now,
    };

    internal void Complete() => Status = MessageStatus.Completed;

    internal void Fail(string error)
    {
        Status = MessageStatus.Failed;
        Error = error;
    }
}
