namespace Devana.Api.Completions;

/// <summary><c>Devana:Completions:KeepAliveSeconds</c>: how long a stream may stay silent before a <c>: keep-alive</c> comment (default 15; more than 0, at most 3600: <see cref="StreamingOptionsValidator"/>).</summary>
public sealed class StreamingOptions
{
    public const string Section = "Devana:Completions";

    public double KeepAliveSeconds { get; set; } = 15;

    public TimeSpan KeepAlive => TimeSpan.FromSeconds(KeepAliveSeconds);
}
