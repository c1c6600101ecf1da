using System.Globalization;
using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.Caching;

/// <summary>The rule of an in-memory cache's lifetime setting, in seconds: 0 (no cache) to a maximum.</summary>
internal static class CacheLifetime
{
    /// <summary>A failure naming <paramref name="key"/> when <paramref name="seconds"/> is not from 0 to <paramref name="max"/>.</summary>
    public static ValidateOptionsResult Check(string key, double seconds, TimeSpan max) =>
        double.IsFinite(seconds) && seconds >= 0 && seconds <= max.TotalSeconds
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Configuration key '{key}' has the value '{seconds.ToString(CultureInfo.InvariantCulture)}'; it must be a number of seconds from 0 (no cache) to {max.TotalSeconds}.");

    /// <summary>Until when an entry stored <paramref name="now"/> is served: the lifetime, and never past when what it holds expires.</summary>
    public static DateTimeOffset Until(DateTimeOffset now, TimeSpan lifetime, DateTimeOffset? expires) =>
        expires is { } end && end < now + lifetime ? end : now + lifetime;
}
