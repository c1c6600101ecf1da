using Devana.Application.Common.Security;
using Microsoft.AspNetCore.Authorization;
using OpenIddict.Validation.AspNetCore;

namespace Devana.Api.Auth;

/// <summary>
/// One authorization policy per API scope, named after it. Controllers declare the scope they need
/// with <c>[Authorize(Policy = Policies.Agents)]</c>: no or a bad bearer token is a 401
/// <c>invalid_token</c>, a valid token without the scope a 403 <c>insufficient_scope</c>
/// (<see cref="ApiAuthorizationResultHandler"/>). Every <c>/v1</c> and <c>/completions</c> endpoint
/// must declare one of them (a functional test checks it).
/// </summary>
public static class Policies
{
    public const string Completions = Scopes.Completions;
    public const string Agents = Scopes.Agents;
    public const string Files = Scopes.Files;
    public const string Admin = Scopes.Admin;

    /// <summary><c>/v1/models</c> and <c>/v1/llms</c>: a token with <c>completions</c> or <c>agents</c>.</summary>
    public const string Models = "models";

    public static IReadOnlyList<string> All { get; } = [.. Scopes.All, Models];

    /// <summary>The scopes a policy accepts, any one of them (what the OpenAPI document declares too).</summary>
    public static IReadOnlyList<string> AnyScopeOf(string policy) => policy switch
    {
        Models => [Scopes.Completions, Scopes.Agents],
        _ when Scopes.All.Contains(policy) => [policy],
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Not one of Devana's scope policies."),
    };

    internal static void AddScopePolicies(AuthorizationOptions options)
    {
        foreach (var policy in All)
        {
            AddPolicy(options, policy, [.. AnyScopeOf(policy)]);
        }
    }

    private static void AddPolicy(AuthorizationOptions options, string name, params string[] anyOf) =>
        options.AddPolicy(name, policy => policy
            .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new ScopeRequirement(anyOf)));
}
