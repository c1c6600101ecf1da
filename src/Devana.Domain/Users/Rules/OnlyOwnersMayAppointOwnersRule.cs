using Devana.Domain.Common;

namespace Devana.Domain.Users.Rules;

/// <summary>
/// An admin may add admins and members, but only an owner (or a machine client holding the
/// <c>admin</c> scope, which acts for the workspace) may add another owner.
/// </summary>
public sealed class OnlyOwnersMayAppointOwnersRule(UserRole requestedRole, bool appointerIsOwner) : IBusinessRule
{
    public bool IsBroken() => requestedRole == UserRole.Owner && !appointerIsOwner;

    public string Message => "Only a workspace owner may create another owner.";

    public string? Param => "role";

    public RuleViolationKind Kind => RuleViolationKind.AccessDenied;
}
