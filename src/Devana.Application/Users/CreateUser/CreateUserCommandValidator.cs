using Devana.Application.Users.Common;
using FluentValidation;

namespace Devana.Application.Users.CreateUser;

internal sealed class CreateUserCommandValidator : AbstractValidator<CreateUserCommand>
{
    public CreateUserCommandValidator()
    {
        RuleFor(command => command.Email).NotEmpty().WithMessage("email is required.");
        RuleFor(command => command.Password).NotEmpty().WithMessage("password is required.");
        RuleFor(command => command.Password)
            .Must(PasswordPolicy.IsAcceptable).WithMessage(PasswordPolicy.Requirement)
            .When(command => !string.IsNullOrEmpty(command.Password));
        RuleFor(command => command.Role).NotNull().WithMessage("role is required: owner, admin or member.");
    }
}
