using Devana.Application.Common.Security;
using Microsoft.AspNetCore.Authorization;

namespace Devana.Api.Auth;

public static class AuthorizationSetup
{
    /// <summary>
    /// The scope policies of <see cref="ScopePolicies"/> and the envelope for refusals. Authentication
    /// schemes (OpenIddict validation) are registered by Identity; this adds none.
    /// </summary>
    public static IServiceCollection AddApiAuthorization(this IServiceCollection services)
    {
        services.AddAuthentication();
        services.AddAuthorization(options =>
        {
            AddScopePolicy(options, ScopePolicies.Agents, Scopes.Agents);
            AddScopePolicy(options, ScopePolicies.Completions, Scopes.Completions);
            AddScopePolicy(options, ScopePolicies.Files, Scopes.Files);
            AddScopePolicy(options, ScopePolicies.Admin, Scopes.Admin);
            AddScopePolicy(options, ScopePolicies.Models, Scopes.Completions, Scopes.Agents);
        });
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ErrorEnvelopeAuthorizationResultHandler>();
        return services;
    }

    private static void AddScopePolicy(AuthorizationOptions options, string name, params string[] anyOf) =>
        options.AddPolicy(name, policy => policy
            .RequireAuthenticatedUser()
            .RequireClaim(DevanaClaimTypes.WorkspaceId)
            .AddRequirements(new ScopeRequirement(anyOf)));
}
