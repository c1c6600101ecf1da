using Devana.Application.Common.Security;

namespace Devana.Application.Common.Interfaces;

/// <summary>
/// Who is calling: resolved once per request from the access token. Application reads the caller only
/// through this interface, never from <c>HttpContext</c>.
/// </summary>
public interface ICurrentPrincipal
{
    bool IsAuthenticated { get; }

    /// <summary>The caller's workspace; throws when the request is anonymous.</summary>
    string WorkspaceId { get; }

    /// <summary><c>usr_…</c> or <c>cli_…</c>; throws when the request is anonymous.</summary>
    string PrincipalId { get; }

    PrincipalKind Kind { get; }

    IReadOnlySet<string> Scopes { get; }

    /// <summary>A user whose role is owner or admin, or a client granted the <c>admin</c> scope.</summary>
    bool IsWorkspaceAdmin { get; }
}
