using Devana.Domain.Common;

namespace Devana.Domain.Conversations.Rules;

public sealed class TurnMustBePendingRule(Message turn) : IBusinessRule
{
    public bool IsBroken() => turn.Role is not (MessageRole.User or MessageRole.Tool) || turn.Status != MessageStatus.Pending;

    public string Message => $"Message {turn.Id} is not a user turn waiting for an answer.";
}
