using Devana.Domain.Common;

namespace Devana.Domain.Conversations.Rules;

public sealed class ConversationTitleMustBeValidRule(string? title) : IBusinessRule
{
    public bool IsBroken() => string.IsNullOrWhiteSpace(title) || title.Length > Conversation.TitleMaxLength;

    public string Message => $"title must be 1 to {Conversation.TitleMaxLength} characters.";

    public string? Param => "title";
}
