namespace Devana.Infrastructure.Identity;

/// <summary><c>Devana:Identity:Pruning</c> (docs/identity.md): whether, how often and how old; read into <see cref="TokenPruningSettings"/>.</summary>
public sealed class TokenPruningOptions
{
    public const string Section = "Devana:Identity:Pruning";

    public bool Enabled { get; set; } = TokenPruningSettings.Default.Enabled;

    /// <summary>Minutes between two passes, at least 1; default 60.</summary>
    public double IntervalMinutes { get; set; } = TokenPruningSettings.Default.Interval.TotalMinutes;

    /// <summary>Only entries created more than this many hours ago go, at least 0; default the refresh tokens' lifetime.</summary>
    public double MinimumAgeHours { get; set; } = TokenPruningSettings.Default.MinimumAge.TotalHours;

    public TokenPruningSettings ToSettings() => new(Enabled, TimeSpan.FromMinutes(IntervalMinutes), TimeSpan.FromHours(MinimumAgeHours));
}
