using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.Caching;

/// <summary>Checks <see cref="CacheOptions"/> when the host starts.</summary>
internal sealed class CacheOptionsValidator : IValidateOptions<CacheOptions>
{
    public ValidateOptionsResult Validate(string? name, CacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CacheLifetime.Check(SettingsCache.LifetimeKey, options.SettingsSeconds ?? SettingsCache.DefaultLifetime.TotalSeconds, SettingsCache.MaxLifetime);
    }
}
