using Devana.Domain.Common;

namespace Devana.Domain.Conversations;

/// <summary>One turn of a conversation: a user turn, or one choice of an assistant answer.</summary>
public sealed class Message : Entity
{
    private List<string> _fileIds = [];
    private List<ToolCall> _toolCalls = [];

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

    /// <summary>For assistant messages: the functions the LLM asked to call, the caller's or the agent's tools (empty when none).</summary>
    public IReadOnlyList<ToolCall> ToolCalls => _toolCalls;

    /// <summary>For <see cref="MessageRole.Tool"/> messages: the id of the call this result answers.</summary>
    public string? ToolCallId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    internal static Message UserTurn(string conversationId, int sequence, ConversationTurn turn, string? clientModel, IEnumerable<string> fileIds, DateTimeOffset now) => new()
    {
        Id = PrefixedId.New(IdPrefixes.Message),
        ConversationId = conversationId,
        Sequence = sequence,
        Role = turn.Role,
        Content = turn.Content,
        Status = turn.Role is MessageRole.User or MessageRole.Tool ? MessageStatus.Pending : MessageStatus.Completed,
        ClientModel = clientModel,
        _fileIds = fileIds.ToList(),
        _toolCalls = turn.ToolCalls?.ToList() ?? [],
        ToolCallId = turn.ToolCallId,
        CreatedAt = now,
    };

    /// <summary>A step of a tool loop Devana ran: an assistant turn that called tools, or a tool's result.</summary>
    internal static Message ToolStep(string conversationId, int sequence, ConversationTurn turn, string clientModel, DateTimeOffset now) => new()
    {
        Id = PrefixedId.New(IdPrefixes.Message),
        ConversationId = conversationId,
        Sequence = sequence,
        Role = turn.Role,
        Content = turn.Content,
        Status = MessageStatus.Completed,
        ClientModel = clientModel,
        _toolCalls = turn.ToolCalls?.ToList() ?? [],
        ToolCallId = turn.ToolCallId,
        CreatedAt = now,
    };

    internal static Message Answer(string id, string conversationId, int sequence, AnswerChoice choice, string clientModel, long latencyMs, DateTimeOffset now) => new()
    {
        Id = id,
        ConversationId = conversationId,
        Sequence = sequence,
        Role = MessageRole.Assistant,
        ChoiceIndex = choice.Index,
        Content = choice.Content,
        Status = MessageStatus.Completed,
        ClientModel = choice.ClientModel ?? clientModel,
        FinishReason = choice.FinishReason,
        Usage = choice.Usage,
        _toolCalls = choice.ToolCalls?.ToList() ?? [],
        LatencyMs = latencyMs,
        CreatedAt = now,
    };

    internal void Complete() => Status = MessageStatus.Completed;

    /// <summary>A pending tool turn that stood for a confirmed call gets the call's result.</summary>
    internal void Answer(string content) => Content = content;

    internal void Fail(string error)
    {
        Status = MessageStatus.Failed;
        Error = error;
    }
}
