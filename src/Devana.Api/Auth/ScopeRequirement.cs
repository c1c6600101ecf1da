using System.Security.Claims;
using Devana.Application.Common.Security;
using Microsoft.AspNetCore.Authorization;

namespace Devana.Api.Auth;

/// <summary>The validated access token must carry <see cref="Scope"/>. Its own handler.</summary>
public sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (ScopesOf(context.User).Contains(requirement.Scope))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    /// <summary>The scopes of a validated access token: its space-separated <c>scope</c> claim(s).</summary>
    public static IReadOnlySet<string> ScopesOf(ClaimsPrincipal? principal) =>
        (principal?.FindAll(DevanaClaimTypes.Scope) ?? [])
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
}
