namespace Devana.Infrastructure.Caching;

/// <summary><c>Devana:Cache</c> (docs/deployment.md): how long this instance keeps what it read of agents' and quotas' settings.</summary>
public sealed class CacheOptions
{
    public const string Section = "Devana:Cache";

    /// <summary>Seconds an agent's or quota's settings are kept, 0 (no cache) to 60; not set or empty: 5.</summary>
    public double? SettingsSeconds { get; set; }

    public TimeSpan SettingsLifetime => SettingsSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : SettingsCache.DefaultLifetime;
}
