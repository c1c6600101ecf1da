using Devana.Application.Common.Exceptions;
using Devana.Domain.Agents;
using Devana.Domain.Conversations.Rules;
using FluentValidation;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>The input rules of CONTRACT.md §2 that need nothing but the request.</summary>
internal sealed class CreateCompletionCommandValidator : AbstractValidator<CreateCompletionCommand>
{
    public const int MaxChoices = 8;
    public const int MaxStopSequences = 4;
    private static readonly string[] s_roles = ["system", "developer", "user", "assistant"];

    public CreateCompletionCommandValidator()
    {
        RuleFor(c => c.Model)
            .NotEmpty().WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("model is required: the id of an agent.");

        RuleFor(c => c.Messages)
            .NotEmpty().WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("messages is required and must hold at least one message.");
        RuleForEach(c => c.Messages).ChildRules(message =>
        {
            message.RuleFor(m => m.Role)
                .NotEmpty().WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("Each message needs a role.")
                .Must(role => role is null || s_roles.Contains(role, StringComparer.Ordinal))
                .WithErrorCode(ErrorCodes.UnknownParameterValue)
                .WithMessage(m => $"'{m.Role}' is not a supported role; use system, user or assistant.");
            message.RuleFor(m => m.Content)
                .NotNull().WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("Each message needs content.");
        });
        RuleFor(c => c.Messages)
            .Must(messages => messages![^1].Role == "user")
            .When(c => c.Messages is { Count: > 0 } && c.Messages.All(m => s_roles.Contains(m.Role ?? string.Empty, StringComparer.Ordinal)))
            .WithMessage("The last message must have the role 'user'.");

        RuleFor(c => c.Temperature).InclusiveBetween(0, 1).WithMessage("temperature must be between 0 and 1.");
        RuleFor(c => c.TopP).InclusiveBetween(0, 1).WithMessage("top_p must be between 0 and 1.");
        RuleFor(c => c.MaxTokens).GreaterThanOrEqualTo(1).WithMessage("max_tokens must be at least 1.");
        RuleFor(c => c.N).InclusiveBetween(1, MaxChoices).WithMessage($"n must be between 1 and {MaxChoices}.");
        RuleFor(c => c.Stop)
            .Must(stop => stop!.Count <= MaxStopSequences).When(c => c.Stop is not null)
            .WithMessage($"stop holds at most {MaxStopSequences} sequences.");
        RuleForEach(c => c.Stop).NotEmpty().WithMessage("A stop sequence cannot be empty.");
        RuleFor(c => c.Lang)
            .Must(lang => LanguageCode.All.Contains(lang!.ToLowerInvariant()))
            .When(c => c.Lang is not null)
            .WithMessage(c => $"'{c.Lang}' is not an ISO 639-1 language code (e.g. en, fr, de).");
        RuleFor(c => c.Files)
            .Must(files => files!.All(f => !string.IsNullOrWhiteSpace(f)))
            .When(c => c.Files is not null)
            .WithMessage("files holds file ids (file_…); an empty id is not one.");
        RuleFor(c => c.Metadata)
            .Must(metadata => !new MetadataMustBeSmallRule(metadata!).IsBroken())
            .When(c => c.Metadata is not null)
            .WithMessage(c => new MetadataMustBeSmallRule(c.Metadata!).Message);
        RuleFor(c => c.ResponseFormat)
            .Must(format => format is "text" or "json_object")
            .When(c => c.ResponseFormat is not null)
            .WithErrorCode(ErrorCodes.UnknownParameterValue)
            .WithMessage(c => $"response_format.type '{c.ResponseFormat}' is not supported; use text or json_object.");
        RuleFor(c => c.IncludeUsage)
            .Equal(false).When(c => !c.Stream)
            .OverridePropertyName("StreamOptions")
            .WithMessage("stream_options is only allowed when stream is true.");
    }
}
