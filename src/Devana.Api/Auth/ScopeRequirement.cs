using Devana.Application.Common.Security;
using Microsoft.AspNetCore.Authorization;

namespace Devana.Api.Auth;

/// <summary>
/// Met when the caller's <see cref="DevanaClaimTypes.Scope"/> claims (space-separated, as OAuth writes
/// them; one claim or several) hold at least one of <see cref="AnyOf"/>.
/// </summary>
public sealed class ScopeRequirement : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public ScopeRequirement(params string[] anyOf)
    {
        ArgumentNullException.ThrowIfNull(anyOf);
        ArgumentOutOfRangeException.ThrowIfZero(anyOf.Length);
        AnyOf = anyOf;
    }

    public IReadOnlyList<string> AnyOf { get; }

    /// <summary>"the 'agents' scope" or "the 'completions' or 'agents' scope", for error messages.</summary>
    public string Description => $"the {string.Join(" or ", AnyOf.Select(scope => $"'{scope}'"))} scope";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        var granted = context.User.FindAll(DevanaClaimTypes.Scope)
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (granted.Any(requirement.AnyOf.Contains))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
