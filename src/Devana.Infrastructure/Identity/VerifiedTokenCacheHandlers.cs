using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;
using static OpenIddict.Validation.OpenIddictValidationHandlers.Protection;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// The OpenIddict validation handlers around <see cref="VerifiedTokenCache"/>: <see cref="UseVerifiedPrincipal"/>
/// before <see cref="ValidateIdentityModelToken"/> (which checks nothing when a principal is already there), and
/// <see cref="StoreVerifiedPrincipal"/> after <see cref="NormalizeScopeClaims"/> and <see cref="MapInternalClaims"/>,
/// before <see cref="RestoreTokenEntryProperties"/> adds the token entry's claims.
/// </summary>
/// <remarks>
/// The two handlers between the check and the store derive claims from the token's own (one <c>scope</c> claim;
/// OpenIddict's private <c>oi_*</c> claims from <c>iat</c>, <c>exp</c>, <c>aud</c>, <c>client_id</c> and
/// <c>scope</c>) and change nothing when they are there already. So the principal is stored with them, and a
/// principal served from the cache passes through both without being rebuilt: mapping the claims on every
/// request was 1.3% of a completion's CPU (docs/performance.md, eleventh session).
/// </remarks>
internal static class VerifiedTokenCacheHandlers
{
    public static void Register(OpenIddictValidationBuilder validation)
    {
        validation.AddEventHandler(OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<UseVerifiedPrincipal>()
            .SetOrder(ValidateIdentityModelToken.Descriptor.Order - 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build());

        validation.AddEventHandler(OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<StoreVerifiedPrincipal>()
            .SetOrder(MapInternalClaims.Descriptor.Order + 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build());
    }

    /// <summary>
    /// The issuers the token is checked against: configured, or else the request's host name (OpenIddict's
    /// ResolveTokenValidationParameters, which runs first). The rest of the check's parameters do not change.
    /// </summary>
    private static string IssuerOf(ValidateTokenContext context) =>
        context.TokenValidationParameters.ValidIssuers is { } issuers
            ? string.Join(' ', issuers)
            : context.TokenValidationParameters.ValidIssuer ?? string.Empty;

    /// <summary>A token already verified: its principal, without reading or verifying it again.</summary>
    internal sealed class UseVerifiedPrincipal(VerifiedTokenCache cache) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (cache.IsEnabled && context.Principal is null && !context.IsReferenceToken && !string.IsNullOrEmpty(context.Token)
                && cache.TryGet(IssuerOf(context), context.Token, out var principal))
            {
                context.Principal = principal;
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// After <see cref="ValidateIdentityModelToken"/> verified an access token (it alone sets the validation
    /// result, so a principal served from the cache is not stored again) and its claims were mapped.
    /// </summary>
    internal sealed class StoreVerifiedPrincipal(VerifiedTokenCache cache) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (cache.IsEnabled && !context.IsRejected && !context.IsReferenceToken && context.Principal is { } principal
                && context.TokenValidationResult is { IsValid: true, SecurityToken: { } token }
                && principal.GetTokenType() == OpenIddictConstants.TokenTypeIdentifiers.AccessToken)
            {
                cache.Store(IssuerOf(context), context.Token, principal, new DateTimeOffset(DateTime.SpecifyKind(token.ValidTo, DateTimeKind.Utc)));
            }

            return ValueTask.CompletedTask;
        }
    }
}
