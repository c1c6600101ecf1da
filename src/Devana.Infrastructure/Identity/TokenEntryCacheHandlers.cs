using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;
using static OpenIddict.Validation.OpenIddictValidationHandlers.Protection;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// The OpenIddict validation handlers around the cache. <see cref="Register"/> puts <see cref="UseCachedEntry"/>
/// before <see cref="RestoreTokenEntryProperties"/>, makes that handler, <see cref="ValidateTokenEntry"/>
/// and <see cref="ValidateAuthorizationEntry"/> skip a token served from the cache (and only such a token),
/// and puts <see cref="StoreValidEntry"/> after them.
/// </summary>
internal static class TokenEntryCacheHandlers
{
    private const string GenerationProperty = ".devana_token_entry_generation";
    private const string ServedProperty = ".devana_token_entry_served";

    public static void Register(OpenIddictValidationBuilder validation)
    {
        validation.AddEventHandler(OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .AddFilter<OpenIddictValidationHandlerFilters.RequireTokenEntryValidationEnabled>()
            .UseSingletonHandler<UseCachedEntry>()
            .SetOrder(RestoreTokenEntryProperties.Descriptor.Order - 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build());

        validation.AddEventHandler(OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .AddFilter<OpenIddictValidationHandlerFilters.RequireTokenEntryValidationEnabled>()
            .AddFilter<OpenIddictValidationHandlerFilters.RequireTokenIdResolved>()
            .AddFilter<RequireEntryNotServedFromCache>()
            .UseSingletonHandler<StoreValidEntry>()
            .SetOrder(ValidateAuthorizationEntry.Descriptor.Order + 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build());

        // The three built-in handlers that read the database skip a token whose entry came from the cache.
        BuiltInValidationHandlers.AddFilter<RequireEntryNotServedFromCache>(
            validation, "The token entry cache", typeof(RestoreTokenEntryProperties), typeof(ValidateTokenEntry), typeof(ValidateAuthorizationEntry));
    }

    private static bool WasServedFromCache(ValidateTokenContext context) =>
        context.Transaction.Properties.TryGetValue(ServedProperty, out var served) && ReferenceEquals(served, context);

    /// <summary>On a hit, restores what <see cref="RestoreTokenEntryProperties"/> would have from the database.</summary>
    internal sealed class UseCachedEntry(TokenEntryCache cache) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (!cache.IsEnabled || context.Principal is null || context.Principal.GetTokenId() is not { Length: > 0 } tokenId)
            {
                return ValueTask.CompletedTask;
            }

            if (!cache.TryGet(tokenId, out var entry))
            {
                context.Transaction.Properties[GenerationProperty] = cache.Generation;
                return ValueTask.CompletedTask;
            }

            context.Principal
                .SetCreationDate(entry.CreationDate)
                .SetExpirationDate(entry.ExpirationDate)
                .SetAuthorizationId(context.AuthorizationId = entry.AuthorizationId)
                .SetTokenId(context.TokenId = entry.TokenId)
                .SetTokenType(entry.TokenType);
            context.Transaction.Properties[ServedProperty] = context;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>After the token and authorization entries were read and found valid: remember that.</summary>
    internal sealed class StoreValidEntry(TokenEntryCache cache) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (!cache.IsEnabled || context.IsRejected || context.Principal is null
                || !context.Transaction.Properties.TryGetValue(GenerationProperty, out var generation) || generation is not long taken)
            {
                return ValueTask.CompletedTask;
            }

            var principal = context.Principal;
            cache.Store(context.TokenId!, new TokenEntry(
                taken,
                principal.GetCreationDate(),
                principal.GetExpirationDate(),
                context.AuthorizationId,
                context.TokenId,
                principal.GetTokenType()));
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class RequireEntryNotServedFromCache : IOpenIddictValidationHandlerFilter<ValidateTokenContext>
    {
        public ValueTask<bool> IsActiveAsync(ValidateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            return ValueTask.FromResult(!WasServedFromCache(context));
        }
    }
}
