using System.Security.Claims;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Security;

namespace Devana.Api.Infrastructure;

/// <summary>Reads the caller from the validated access token's claims (see <see cref="DevanaClaimTypes"/>).</summary>
public sealed class HttpCurrentPrincipal(IHttpContextAccessor accessor) : ICurrentPrincipal
{
    private ClaimsPrincipal? User => accessor.HttpContext?.User;

    public bool IsAuthenticated => User?.Identity?.IsAuthenticated == true && User.FindFirst(DevanaClaimTypes.WorkspaceId) is not null;

    public string WorkspaceId => Required(DevanaClaimTypes.WorkspaceId);

    public string PrincipalId => Required(DevanaClaimTypes.Subject);

    public PrincipalKind Kind => string.Equals(User?.FindFirst(DevanaClaimTypes.PrincipalKind)?.Value, PrincipalKinds.Client, StringComparison.Ordinal)
        ? PrincipalKind.Client
        : PrincipalKind.User;

    public IReadOnlySet<string> Scopes => (User?.FindAll(DevanaClaimTypes.Scope) ?? [])
        .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .ToHashSet(StringComparer.Ordinal);

    public bool IsWorkspaceAdmin => Kind == PrincipalKind.Client
        ? Scopes.Contains(Application.Common.Security.Scopes.Admin)
        : User?.FindFirst(DevanaClaimTypes.Role)?.Value is "owner" or "admin";

    private string Required(string type) =>
        User?.FindFirst(type)?.Value ?? throw new InvalidOperationException($"The request is not authenticated (no '{type}' claim).");
}
