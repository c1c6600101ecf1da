using Devana.Domain.Common;

namespace Devana.Domain.Quotas.Rules;

/// <summary>Quotas bound what everyone in a workspace may use: only its admins set them.</summary>
public sealed class QuotasMayBeSetOnlyByAWorkspaceAdminRule(Actor actor, string workspaceId) : IBusinessRule
{
    public bool IsBroken() => !actor.IsWorkspaceAdmin || actor.WorkspaceId != workspaceId;

    public string Message => "Only an admin of the workspace may set its quotas.";

    public RuleViolationKind Kind => RuleViolationKind.AccessDenied;
}
