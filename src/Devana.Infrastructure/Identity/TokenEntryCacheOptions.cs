namespace Devana.Infrastructure.Identity;

/// <summary><c>Devana:Identity:TokenEntryCacheSeconds</c> (docs/identity.md, "Revocation"): 0 to 60, default 30.</summary>
public sealed class TokenEntryCacheOptions
{
    public const string Section = "Devana:Identity";

    /// <summary>Not set or empty: 30.</summary>
    public double? TokenEntryCacheSeconds { get; set; }

    public TimeSpan TokenEntryCacheLifetime => TokenEntryCacheSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : TokenEntryCache.DefaultLifetime;
}
