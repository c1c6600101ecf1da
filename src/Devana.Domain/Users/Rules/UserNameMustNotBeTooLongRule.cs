using Devana.Domain.Common;

namespace Devana.Domain.Users.Rules;

public sealed class UserNameMustNotBeTooLongRule(string? name) : IBusinessRule
{
    public bool IsBroken() => name is { Length: > User.NameMaxLength };

    public string Message => $"name must be at most {User.NameMaxLength} characters.";

    public string? Param => "name";
}
