using Devana.Application.Common.Exceptions;
using Devana.Domain.Agents.Rules;
using FluentValidation;

namespace Devana.Application.Agents.AttachAgentFiles;

internal sealed class AttachAgentFilesCommandValidator : AbstractValidator<AttachAgentFilesCommand>
{
    public AttachAgentFilesCommandValidator()
    {
        RuleFor(c => c.FileIds)
            .NotEmpty().WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("file_ids is required: the ids of your uploaded files (file_…).")
            .Must(ids => ids!.Count <= AgentMayHoldAtMost100KnowledgeFilesRule.Max).WithMessage($"file_ids holds at most {AgentMayHoldAtMost100KnowledgeFilesRule.Max} ids.")
            .Must(ids => ids!.All(id => !string.IsNullOrWhiteSpace(id))).WithMessage("file_ids cannot hold an empty id.");
    }
}
