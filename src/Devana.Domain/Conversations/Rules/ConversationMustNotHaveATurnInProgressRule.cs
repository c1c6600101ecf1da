using Devana.Domain.Common;

namespace Devana.Domain.Conversations.Rules;

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
