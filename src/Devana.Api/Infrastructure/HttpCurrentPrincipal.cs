using System.Security.Claims;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Security;

namespace Devana.Api.Infrastructure;

/// <summary>Reads the caller from the validated access token's claims (see <see cref="DevanaClaimTypes"/>).</summary>
/// <remarks>
/// The claims are read once per request's principal (a completion asks for the caller a dozen times, and each
/// claim was a walk over the token's 30-odd claims); were the request's principal replaced, it is read again.
/// </remarks>
public sealed class HttpCurrentPrincipal(IHttpContextAccessor accessor) : ICurrentPrincipal
{
    private Caller? _caller;

    public bool IsAuthenticated => Read().IsAuthenticated;

    public string WorkspaceId => Read().WorkspaceId ?? throw NotAuthenticated(DevanaClaimTypes.WorkspaceId);

    public string PrincipalId => Read().PrincipalId ?? throw NotAuthenticated(DevanaClaimTypes.Subject);

    public PrincipalKind Kind => Read().Kind;

    public IReadOnlySet<string> Scopes => Read().Scopes;

    public bool IsWorkspaceAdmin => Read().IsWorkspaceAdmin;

    private Caller Read()
    {
        var user = accessor.HttpContext?.User;
        var caller = _caller;
        if (caller is null || !ReferenceEquals(caller.User, user))
        {
            _caller = caller = new Caller(user);
        }

        return caller;
    }

    private static InvalidOperationException NotAuthenticated(string type) =>
        new($"The request is not authenticated (no '{type}' claim).");

    /// <summary>What the claims of one principal say.</summary>
    private sealed class Caller(ClaimsPrincipal? user)
    {
        private IReadOnlySet<string>? _scopes;

        public ClaimsPrincipal? User { get; } = user;

        public string? WorkspaceId { get; } = user?.FindFirst(DevanaClaimTypes.WorkspaceId)?.Value;

        public string? PrincipalId { get; } = user?.FindFirst(DevanaClaimTypes.Subject)?.Value;

        public bool IsAuthenticated => User?.Identity?.IsAuthenticated == true && WorkspaceId is not null;

        public PrincipalKind Kind { get; } = string.Equals(user?.FindFirst(DevanaClaimTypes.PrincipalKind)?.Value, PrincipalKinds.Client, StringComparison.Ordinal)
            ? PrincipalKind.Client
            : PrincipalKind.User;

        public string? Role { get; } = user?.FindFirst(DevanaClaimTypes.Role)?.Value;

        public bool IsWorkspaceAdmin => Kind == PrincipalKind.Client
            ? Scopes.Contains(Application.Common.Security.Scopes.Admin)
            : Role is "owner" or "admin";

        public IReadOnlySet<string> Scopes => _scopes ??= (User?.FindAll(DevanaClaimTypes.Scope) ?? [])
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
    }
}
