using Devana.Api.Infrastructure;
using Devana.Application.Common.Exceptions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Net.Http.Headers;

namespace Devana.Api.Auth;

/// <summary>
/// Answers refused requests with the contract's envelope instead of the schemes' bodiless challenge and
/// forbid: 401 <c>invalid_token</c> with <c>WWW-Authenticate: Bearer</c> when there is no valid token,
/// (or a token that is not a Devana access token: no workspace), 403 <c>insufficient_scope</c> naming the scope needed when the token lacks it (RFC 6750 §3.1).
/// </summary>
public sealed class ErrorEnvelopeAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        // A token without a workspace is no Devana access token: treated as no valid token at all.
        var notOurs = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ClaimsAuthorizationRequirement>().Any() == true;
        if (authorizeResult.Challenged || notOurs)
        {
            var presented = context.Request.Headers.Authorization.Count > 0;
            context.Response.Headers[HeaderNames.WWWAuthenticate] = presented ? "Bearer error=\"invalid_token\"" : "Bearer";
            var message = presented
                ? "The access token is invalid or expired."
                : "An access token is required: send it as Authorization: Bearer.";
            await ErrorWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCodes.InvalidToken, message);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var needed = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault();
            var scope = needed is null ? string.Empty : $" scope=\"{string.Join(' ', needed.AnyOf)}\"";
            context.Response.Headers[HeaderNames.WWWAuthenticate] = $"Bearer error=\"insufficient_scope\"{scope}";
            var message = needed is null
                ? "The access token does not allow this request."
                : $"This request needs an access token with {needed.Description}.";
            await ErrorWriter.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.InsufficientScope, message);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
