using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Devana.Infrastructure.Caching;

/// <summary>The lifetime of an in-memory cache, read from a configuration key in seconds.</summary>
internal static class CacheLifetime
{
    /// <summary>
    /// Reads <paramref name="key"/>: <paramref name="fallback"/> when it is not set; a value that is not a
    /// number of seconds from 0 (no cache) to <paramref name="max"/> stops start-up naming the key.
    /// </summary>
    public static TimeSpan Read(IConfiguration configuration, string key, TimeSpan fallback, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var raw = configuration[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0 || seconds > max.TotalSeconds)
        {
            throw new InvalidOperationException($"Configuration key '{key}' has the value '{raw}'; it must be a number of seconds from 0 (no cache) to {max.TotalSeconds}.");
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
