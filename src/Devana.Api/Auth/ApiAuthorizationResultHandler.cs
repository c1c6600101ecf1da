using Devana.Api.Infrastructure;
using Devana.Application.Common.Exceptions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using OpenIddict.Validation.AspNetCore;

namespace Devana.Api.Auth;

/// <summary>
/// Turns the API's authorization failures into the error envelope (docs/api.md#errors). A challenge goes through
/// OpenIddict validation first, which sets 401 and the RFC 6750 <c>WWW-Authenticate: Bearer …</c>
/// header (bare when no token was sent), then the body says <c>invalid_token</c>. A missing scope is a
/// 403 <c>insufficient_scope</c> naming the scope, in the body and in <c>WWW-Authenticate</c>.
/// Endpoints that authenticate another way (the login cookie) keep ASP.NET Core's behaviour.
/// </summary>
public sealed class ApiAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private const string Scheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        var usesBearer = policy.AuthenticationSchemes.Count == 0 || policy.AuthenticationSchemes.Contains(Scheme);
        if (!usesBearer || authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        if (authorizeResult.Challenged)
        {
            await context.ChallengeAsync(Scheme);
            var authentication = await context.AuthenticateAsync(Scheme);
            var reason = authentication.Properties?.GetString(OpenIddictValidationAspNetCoreConstants.Properties.ErrorDescription);
            var message = string.IsNullOrEmpty(reason)
                ? "A valid bearer access token is required in the Authorization header."
                : $"The bearer access token was refused: {reason}";
            await ErrorWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCodes.InvalidToken, message);
            return;
        }

        var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault();
        if (missing is not null)
        {
            context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{string.Join(' ', missing.AnyOf)}\"";
            await ErrorWriter.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.InsufficientScope, $"This endpoint needs {missing.Description}, which the access token does not carry.");
            return;
        }

        await ErrorWriter.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.AccessDenied, "The access token does not allow this request.");
    }
}
