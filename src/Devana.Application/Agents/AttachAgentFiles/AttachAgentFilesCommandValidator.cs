using Devana.Application.Common.Exceptions;
using FluentValidation;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.AttachAgentFiles;

internal sealed class AttachAgentFilesCommandValidator : AbstractValidator<AttachAgentFilesCommand>
{
    public AttachAgentFilesCommandValidator()
    {
        RuleFor(c => c.FileIds)
            .NotEmpty().WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("file_ids is required: the ids of your uploaded files (file_…).")
            .MustBeFileIds();
    }
}
