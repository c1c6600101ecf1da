using System.Security.Claims;
using Devana.Api.Infrastructure;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Devana.Api.Auth;

/// <summary>
/// The scope policies of <see cref="ScopePolicies"/> and the 401/403 answers in the contract's envelope.
/// Authentication schemes (OpenIddict validation) are added by the identity setup; this only says what each
/// policy requires of the authenticated principal.
/// </summary>
public static class AuthorizationSetup
{
    public static IServiceCollection AddDevanaAuthorization(this IServiceCollection services)
    {
        services.AddAuthentication();
        services.AddAuthorizationBuilder()
            .AddPolicy(ScopePolicies.Completions, policy => RequireScope(policy, Scopes.Completions))
            .AddPolicy(ScopePolicies.Agents, policy => RequireScope(policy, Scopes.Agents))
            .AddPolicy(ScopePolicies.Files, policy => RequireScope(policy, Scopes.Files))
            .AddPolicy(ScopePolicies.Admin, policy => RequireScope(policy, Scopes.Admin))
            .AddPolicy(ScopePolicies.Models, policy => RequireScope(policy, Scopes.Completions, Scopes.Agents));
        services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, EnvelopeAuthorizationResultHandler>();
        return services;
    }

    private static void RequireScope(AuthorizationPolicyBuilder policy, params string[] anyOf) =>
        policy.RequireAuthenticatedUser()
            .RequireClaim(DevanaClaimTypes.WorkspaceId)
            .AddRequirements(new ScopeRequirement(anyOf));
}

/// <summary>The access token carries at least one of <see cref="AnyOf"/> in its <c>scope</c> claim(s).</summary>
public sealed class ScopeRequirement(IReadOnlyList<string> anyOf) : IAuthorizationRequirement
{
    public IReadOnlyList<string> AnyOf { get; } = anyOf;
}

internal sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var granted = ScopesOf(context.User);
        if (requirement.AnyOf.Any(granted.Contains))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    internal static HashSet<string> ScopesOf(ClaimsPrincipal user) =>
        user.FindAll(DevanaClaimTypes.Scope)
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// Answers a refused request with CONTRACT.md §1's envelope instead of the scheme's bare challenge:
/// 401 <c>invalid_token</c> (with <c>WWW-Authenticate: Bearer</c>) when there is no valid token, 403
/// <c>insufficient_scope</c> when the token lacks the endpoint's scope, 403 <c>access_denied</c> otherwise.
/// </summary>
internal sealed class EnvelopeAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Challenged)
        {
            var sentToken = context.Request.Headers.Authorization.Count > 0;
            context.Response.Headers.WWWAuthenticate = sentToken ? "Bearer error=\"invalid_token\"" : "Bearer";
            await ErrorWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCodes.InvalidToken,
                sentToken ? "The access token is invalid or has expired." : "A bearer access token is required.");
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var scope = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault();
            if (scope is not null)
            {
                var needed = string.Join(" or ", scope.AnyOf);
                context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{string.Join(' ', scope.AnyOf)}\"";
                await ErrorWriter.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.InsufficientScope, $"The access token does not grant the {needed} scope this endpoint needs.");
                return;
            }

            await ErrorWriter.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.AccessDenied, "The access token does not allow this request.");
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
