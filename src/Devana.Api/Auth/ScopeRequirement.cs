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
        foreach (var claim in context.User.FindAll(DevanaClaimTypes.Scope))
        {
            if (Grants(claim.Value, requirement.AnyOf))
            {
                context.Succeed(requirement);
                break;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether the space-separated <paramref name="scopes"/> hold one of <paramref name="anyOf"/>, read in place (every API call checks).</summary>
    private static bool Grants(string scopes, IReadOnlyList<string> anyOf)
    {
        var text = scopes.AsSpan();
        foreach (var range in text.Split(' '))
        {
            var scope = text[range];
            foreach (var wanted in anyOf)
            {
                if (scope.SequenceEqual(wanted))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
