using Devana.Domain.Common;

namespace Devana.Domain.Conversations.Rules;

public sealed class LastTurnMustBeFromUserRule(IReadOnlyList<ConversationTurn> turns) : IBusinessRule
{
    public bool IsBroken() => turns.Count == 0 || turns[^1].Role is not (MessageRole.User or MessageRole.Tool);

    public string Message => "The last message must have the role 'user' (or 'tool', answering the LLM's tool calls).";

    public string? Param => "messages";
}

public sealed class TurnMustBePendingRule(Message turn) : IBusinessRule
{
    public bool IsBroken() => turn.Role is not (MessageRole.User or MessageRole.Tool) || turn.Status != MessageStatus.Pending;

    public string Message => $"Message {turn.Id} is not a user turn waiting for an answer.";
}

public sealed class ConversationMustNotBeDeletedRule(Conversation conversation) : IBusinessRule
{
    public bool IsBroken() => conversation.IsDeleted;

    public string Message => $"Conversation {conversation.Id} has been deleted.";

    public string? Param => "conversation_id";
}

public sealed class ConversationTitleMustBeValidRule(string? title) : IBusinessRule
{
    public bool IsBroken() => string.IsNullOrWhiteSpace(title) || title.Length > Conversation.TitleMaxLength;

    public string Message => $"title must be 1 to {Conversation.TitleMaxLength} characters.";

    public string? Param => "title";
}

public sealed class MetadataMustBeSmallRule(IReadOnlyDictionary<string, string> metadata) : IBusinessRule
{
    public const int MaxKeyLength = 64;
    public const int MaxValueLength = 512;

    public bool IsBroken() =>
        metadata.Count > Conversation.MaxMetadataKeys
        || metadata.Any(pair => string.IsNullOrEmpty(pair.Key) || pair.Key.Length > MaxKeyLength || pair.Value is null || pair.Value.Length > MaxValueLength);

    public string Message => $"metadata may hold up to {Conversation.MaxMetadataKeys} keys of at most {MaxKeyLength} characters, each with a string value of at most {MaxValueLength} characters.";

    public string? Param => "metadata";
}

/// <summary>
/// A conversation takes one turn at a time: while a turn is waiting for its answer, another turn is a
/// 409 <c>conversation_busy</c>, which the caller retries once the answer is stored. A turn pending longer
/// than <see cref="Conversation.PendingTurnLifetime"/> was abandoned (its instance stopped) and no longer counts.
/// </summary>
public sealed class ConversationMustNotHaveATurnInProgressRule(Conversation conversation, DateTimeOffset now) : IBusinessRule
{
    public const string BusyCode = "conversation_busy";

    public bool IsBroken() => conversation.TurnInProgress(now) is not null;

    public string Message => $"Conversation {conversation.Id} is still answering another turn; send this one again once that answer is stored.";

    public string? Param => "conversation_id";

    public RuleViolationKind Kind => RuleViolationKind.Conflict;

    public string? Code => BusyCode;
}
