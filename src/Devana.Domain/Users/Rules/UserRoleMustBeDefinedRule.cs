using Devana.Domain.Common;

namespace Devana.Domain.Users.Rules;

public sealed class UserRoleMustBeDefinedRule(UserRole role) : IBusinessRule
{
    public bool IsBroken() => !Enum.IsDefined(role);

    public string Message => "role must be one of owner, admin or member.";

    public string? Param => "role";
}
