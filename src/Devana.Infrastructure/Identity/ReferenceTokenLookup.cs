using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;
using static OpenIddict.Validation.OpenIddictValidationHandlers.Protection;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// OpenIddict's <see cref="ValidateReferenceTokenIdentifier"/> looks a token up as a reference token, in the database,
/// unless its token handler can read it as a JWT, and Devana's access tokens are JWTs. The handler is scoped and
/// needs the token manager, so OpenIddict built one, with its cache, its store and the request's
/// <c>DevanaDbContext</c>, on every API call only for the handler to return at once: OpenIddict's validation went
/// from 7.9% to 7.1% of a completion's CPU without it (docs/performance.md, twelfth session).
/// <see cref="RequireReferenceTokenFormat"/> makes the dispatcher pass it by for a JWT, before it is built; for
/// anything else it runs as before.
/// </summary>
internal static class ReferenceTokenLookup
{
    public static void Register(OpenIddictValidationBuilder validation) =>
        BuiltInValidationHandlers.AddFilter<RequireReferenceTokenFormat>(validation, "The reference token lookup", typeof(ValidateReferenceTokenIdentifier));

    /// <summary>Active unless the context's token handler can read the token: the handler's own first check.</summary>
    internal sealed class RequireReferenceTokenFormat : IOpenIddictValidationHandlerFilter<ValidateTokenContext>
    {
        public ValueTask<bool> IsActiveAsync(ValidateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            return ValueTask.FromResult(context.SecurityTokenHandler is not { } handler || !handler.CanReadToken(context.Token));
        }
    }
}
