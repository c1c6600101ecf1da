namespace Devana.Infrastructure.Telemetry;

/// <summary><c>Devana:Telemetry</c> (docs/observability.md); with the standard <c>OTEL_*</c> variables it makes <see cref="TelemetrySettings"/>.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Devana:Telemetry";

    public PrometheusOptions Prometheus { get; set; } = new();

    /// <summary>LLM spans carry the messages and answers (off by default: they are the callers' data).</summary>
    public bool EnableSensitiveData { get; set; }
}
