using System.Collections.Immutable;
using System.Security.Claims;
using Devana.Application.Common.Security;
using Devana.Domain.Clients;
using Devana.Domain.Users;
using Devana.Infrastructure.Identity;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OidcScopes = OpenIddict.Abstractions.OpenIddictConstants.Scopes;

namespace Devana.Api.Auth;

/// <summary>
/// The OAuth 2.0 / OpenID Connect endpoints that OpenIddict passes through to the application
/// (protocol code, not MediatR): OpenIddict has already validated the request (client, secret,
/// PKCE, redirect URI, scopes and permissions) when an action runs; the action decides who the
/// principal is and which claims its tokens carry. Discovery, revocation and introspection are
/// answered by OpenIddict itself.
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
// The OAuth endpoints authenticate their callers as the protocol says (client secrets, codes, the
// login cookie), checked by OpenIddict's server pipeline before these actions run; no bearer policy applies.
[AllowAnonymous]
public sealed class AuthorizationController(PrincipalDirectory directory, TimeProvider time) : Controller
{
    private const string ServerScheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    /// <summary>
    /// Authorization code flow: a user signed in on the login page (its cookie) gets a code for the
    /// client. Users sign in through their own workspace's clients or Devana's first-party one; no
    /// consent step, since every client is registered by a workspace admin.
    /// </summary>
    [HttpGet("~/connect/authorize")]
    [HttpPost("~/connect/authorize")]
    [IgnoreAntiforgeryToken]
    public async Task<IActionResult> Authorize(CancellationToken cancellationToken)
    {
        var request = HttpContext.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var login = await HttpContext.AuthenticateAsync(DevanaAuthentication.LoginScheme);
        var user = login.Succeeded ? await FindUserAsync(login.Principal.GetClaim(Claims.Subject), cancellationToken) : null;
        var tooOld = request.MaxAge is { } maxAge && login.Properties?.IssuedUtc is { } issued && time.GetUtcNow() - issued > TimeSpan.FromSeconds(maxAge);
        if (user is null || tooOld || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "The user is not signed in.");
            }

            // Back to this endpoint after the login page, without prompt=login (else it would loop).
            var parameters = (Request.HasFormContentType ? (IEnumerable<KeyValuePair<string, StringValues>>)Request.Form : Request.Query)
                .Where(parameter => parameter.Key != Parameters.Prompt)
                .ToList();
            var prompt = string.Join(' ', request.GetPromptValues().Remove(PromptValues.Login));
            if (prompt.Length > 0)
            {
                parameters.Add(KeyValuePair.Create(Parameters.Prompt, new StringValues(prompt)));
            }

            return Challenge(new AuthenticationProperties { RedirectUri = Request.PathBase + Request.Path + QueryString.Create(parameters) }, DevanaAuthentication.LoginScheme);
        }

        var client = await FindClientAsync(request.ClientId, cancellationToken);
        if (client is null)
        {
            return Refuse(Errors.InvalidClient, "The client application is not registered.");
        }

        if (!client.AcceptsUsersOf(user.WorkspaceId))
        {
            return Refuse(Errors.AccessDenied, "This application belongs to another workspace.");
        }

        var identity = UserIdentity(user, request.GetScopes());
        return SignIn(new ClaimsPrincipal(identity), ServerScheme);
    }

    /// <summary>
    /// Client credentials: the client is the principal (its <c>cli_…</c> id), with the scopes it asked
    /// for (OpenIddict has checked them against its grant) or, when it asked for none, all of its grant.
    /// Code and refresh token: the user of the grant, reloaded so that a changed role or a deleted user
    /// takes effect at the next refresh.
    /// </summary>
    [HttpPost("~/connect/token")]
    [IgnoreAntiforgeryToken]
    [Produces("application/json")]
    public async Task<IActionResult> Exchange(CancellationToken cancellationToken)
    {
        var request = HttpContext.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        if (request.IsClientCredentialsGrantType())
        {
            var client = await FindClientAsync(request.ClientId, cancellationToken);
            if (client is null)
            {
                return Refuse(Errors.InvalidClient, "The client application is not registered.");
            }

            var requested = request.GetScopes();
            var identity = ClientIdentity(client, requested.IsEmpty ? [.. client.Scopes] : requested);
            return SignIn(new ClaimsPrincipal(identity), ServerScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var grant = await HttpContext.AuthenticateAsync(ServerScheme);
            var user = await FindUserAsync(grant.Principal?.GetClaim(Claims.Subject), cancellationToken);
            if (grant.Principal is null || user is null)
            {
                return Refuse(Errors.InvalidGrant, "The grant's user no longer exists.");
            }

            var identity = UserIdentity(user, grant.Principal.GetScopes());
            return SignIn(new ClaimsPrincipal(identity), ServerScheme);
        }

        // OpenIddict refuses every other grant type (unsupported_grant_type) before this action runs.
        throw new InvalidOperationException($"The grant type '{request.GrantType}' is not supported.");
    }

    /// <summary>OpenID Connect userinfo: the user of the access token (users only, not machine clients).</summary>
    [HttpGet("~/connect/userinfo")]
    [HttpPost("~/connect/userinfo")]
    [IgnoreAntiforgeryToken]
    [Produces("application/json")]
    public async Task<IActionResult> UserInfo(CancellationToken cancellationToken)
    {
        var token = await HttpContext.AuthenticateAsync(ServerScheme);
        var principal = token.Principal;
        var user = principal?.GetClaim(DevanaClaimTypes.PrincipalKind) == PrincipalKinds.User
            ? await FindUserAsync(principal.GetClaim(Claims.Subject), cancellationToken)
            : null;
        if (principal is null || user is null)
        {
            return Challenge(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The access token does not belong to a user.",
                }),
                ServerScheme);
        }

        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [Claims.Subject] = user.Id,
            [DevanaClaimTypes.WorkspaceId] = user.WorkspaceId,
            [DevanaClaimTypes.Role] = RoleName(user.Role),
        };
        if (principal.HasScope(OidcScopes.Profile))
        {
            claims[Claims.Name] = user.Name ?? user.Email;
        }

        if (principal.HasScope(OidcScopes.Email))
        {
            claims[Claims.Email] = user.Email;
            claims[Claims.EmailVerified] = false;
        }

        return Ok(claims);
    }

    /// <summary>Ends the login-page session and returns to the client's post-logout URI when it gave a valid one.</summary>
    [HttpGet("~/connect/logout")]
    [HttpPost("~/connect/logout")]
    [IgnoreAntiforgeryToken]
    public async Task<IActionResult> Logout()
    {
        await HttpContext.SignOutAsync(DevanaAuthentication.LoginScheme);
        return SignOut(new AuthenticationProperties { RedirectUri = DevanaAuthentication.LoginPath }, ServerScheme);
    }

    private static ClaimsIdentity UserIdentity(User user, ImmutableArray<string> scopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(DevanaClaimTypes.WorkspaceId, user.WorkspaceId)
            .SetClaim(DevanaClaimTypes.PrincipalKind, PrincipalKinds.User)
            .SetClaim(DevanaClaimTypes.Role, RoleName(user.Role))
            .SetClaim(Claims.Name, user.Name ?? user.Email)
            .SetClaim(Claims.Email, user.Email);
        return Finish(identity, scopes);
    }

    private static ClaimsIdentity ClientIdentity(ApiClient client, ImmutableArray<string> scopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, client.Id)
            .SetClaim(DevanaClaimTypes.WorkspaceId, client.WorkspaceId)
            .SetClaim(DevanaClaimTypes.PrincipalKind, PrincipalKinds.Client)
            .SetClaim(Claims.Name, client.Name);
        return Finish(identity, scopes);
    }

    private static ClaimsIdentity NewIdentity() =>
        new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);

    private static ClaimsIdentity Finish(ClaimsIdentity identity, ImmutableArray<string> scopes)
    {
        identity.SetScopes(scopes);
        identity.SetAudiences(DevanaAuthentication.ApiAudience);
        identity.SetDestinations(GetDestinations);
        return identity;
    }

    /// <summary>
    /// Claims are not put in tokens unless given a destination. The access token carries what
    /// <see cref="Application.Common.Interfaces.ICurrentPrincipal"/> reads; the identity token the
    /// profile and email the client asked for.
    /// </summary>
    private static IEnumerable<string> GetDestinations(Claim claim)
    {
        switch (claim.Type)
        {
            case Claims.Subject:
                yield return Destinations.AccessToken;
                yield return Destinations.IdentityToken;
                yield break;

            case DevanaClaimTypes.WorkspaceId or DevanaClaimTypes.PrincipalKind or DevanaClaimTypes.Role:
                yield return Destinations.AccessToken;
                if (claim.Subject?.HasScope(OidcScopes.Profile) == true)
                {
                    yield return Destinations.IdentityToken;
                }

                yield break;

            case Claims.Name:
                yield return Destinations.AccessToken;
                if (claim.Subject?.HasScope(OidcScopes.Profile) == true)
                {
                    yield return Destinations.IdentityToken;
                }

                yield break;

            case Claims.Email:
                if (claim.Subject?.HasScope(OidcScopes.Email) == true)
                {
                    yield return Destinations.IdentityToken;
                }

                yield break;

            default:
                yield break;
        }
    }

    private static string RoleName(UserRole role) => role.ToString().ToLowerInvariant();

    private Task<User?> FindUserAsync(string? id, CancellationToken cancellationToken) =>
        directory.FindUserAsync(id, cancellationToken);

    private Task<ApiClient?> FindClientAsync(string? clientId, CancellationToken cancellationToken) =>
        directory.FindClientAsync(clientId, cancellationToken);

    private ForbidResult Refuse(string error, string description) => Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        ServerScheme);
}
