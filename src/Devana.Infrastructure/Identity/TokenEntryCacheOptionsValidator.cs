using Devana.Infrastructure.Caching;
using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.Identity;

/// <summary>Checks <see cref="TokenEntryCacheOptions"/> when the host starts.</summary>
internal sealed class TokenEntryCacheOptionsValidator : IValidateOptions<TokenEntryCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenEntryCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CacheLifetime.Check(TokenEntryCache.LifetimeKey, options.TokenEntryCacheSeconds ?? TokenEntryCache.DefaultLifetime.TotalSeconds, TokenEntryCache.MaxLifetime);
    }
}
