namespace Devana.Domain.Common;

/// <summary>
/// The caller as the domain sees it: which workspace it acts in, who it is (<c>usr_…</c> or
/// <c>cli_…</c>) and whether it administers that workspace. Aggregates decide access from this.
/// </summary>
public sealed record Actor
{
    public Actor(string workspaceId, string principalId, bool isWorkspaceAdmin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(principalId);
        WorkspaceId = workspaceId;
        PrincipalId = principalId;
        IsWorkspaceAdmin = isWorkspaceAdmin;
    }

    public string WorkspaceId { get; }

    public string PrincipalId { get; }

    public bool IsWorkspaceAdmin { get; }
}
