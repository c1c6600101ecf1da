using Devana.Domain.Conversations;
using Devana.Domain.Conversations.Rules;
using FluentValidation;

namespace Devana.Application.Conversations.UpdateConversation;

internal sealed class UpdateConversationCommandValidator : AbstractValidator<UpdateConversationCommand>
{
    public UpdateConversationCommandValidator()
    {
        RuleFor(c => c.Title)
            .Must(title => !string.IsNullOrWhiteSpace(title) && title.Length <= Conversation.TitleMaxLength)
            .When(c => c.Title is not null)
            .WithMessage($"title must be 1 to {Conversation.TitleMaxLength} characters.");
        RuleFor(c => c.Metadata)
            .Must(metadata => !new MetadataMustBeSmallRule(metadata!).IsBroken())
            .When(c => c.Metadata is not null)
            .WithMessage(c => new MetadataMustBeSmallRule(c.Metadata!).Message);
    }
}
