namespace Devana.Application.Common.Security;

/// <summary>The claims every Devana access token carries, read back into <see cref="Interfaces.ICurrentPrincipal"/>.</summary>
public static class DevanaClaimTypes
{
    /// <summary>The principal id (<c>usr_…</c> or <c>cli_…</c>); OpenIddict's <c>sub</c>.</summary>
    public const string Subject = "sub";

    public const string WorkspaceId = "workspace_id";

    /// <summary><c>user</c> or <c>client</c>.</summary>
    public const string PrincipalKind = "principal_kind";

    /// <summary>A user's role (<c>owner</c>, <c>admin</c>, <c>member</c>); clients have none.</summary>
    public const string Role = "role";

    public const string Scope = "scope";
}
