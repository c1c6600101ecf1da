namespace Devana.Api.Completions;

/// <summary><c>Devana:Completions:KeepAliveSeconds</c>: how long a stream may stay silent before a <c>: keep-alive</c> comment (default 15).</summary>
public sealed class StreamingOptions
{
    public const string Section = "Devana:Completions";

    public double KeepAliveSeconds { get; set; } = 15;

    public TimeSpan KeepAlive => TimeSpan.FromSeconds(KeepAliveSeconds > 0 ? KeepAliveSeconds : 15);
}
