using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Security;
using FluentValidation;

namespace Devana.Application.Clients.CreateClient;

internal sealed class CreateClientCommandValidator : AbstractValidator<CreateClientCommand>
{
    public CreateClientCommandValidator()
    {
        RuleFor(command => command.Name).NotEmpty().WithMessage("name is required.");
        RuleFor(command => command.Type).NotNull().WithMessage("type is required: confidential or public.");
        RuleFor(command => command.Scopes)
            .NotEmpty().WithMessage($"scopes must name at least one of {string.Join(", ", Scopes.All)}.");
        RuleForEach(command => command.Scopes)
            .Must(scope => Scopes.All.Contains(scope))
            .WithErrorCode(ErrorCodes.UnknownParameterValue)
            .WithMessage((_, scope) => $"'{scope}' is not a scope; use {string.Join(", ", Scopes.All)}.");
    }
}
