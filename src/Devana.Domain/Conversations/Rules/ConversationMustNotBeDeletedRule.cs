using Devana.Domain.Common;

namespace Devana.Domain.Conversations.Rules;

public sealed class ConversationMustNotBeDeletedRule(Conversation conversation) : IBusinessRule
{
    public bool IsBroken() => conversation.IsDeleted;

    public string Message => $"Conversation {conversation.Id} has been deleted.";

    public string? Param => "conversation_id";
}
