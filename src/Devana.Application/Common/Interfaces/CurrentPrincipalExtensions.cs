using Devana.Domain.Common;

namespace Devana.Application.Common.Interfaces;

public static class CurrentPrincipalExtensions
{
    /// <summary>The caller as aggregates take it for their access rules.</summary>
    public static Actor ToActor(this ICurrentPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return new Actor(principal.WorkspaceId, principal.PrincipalId, principal.IsWorkspaceAdmin);
    }
}
