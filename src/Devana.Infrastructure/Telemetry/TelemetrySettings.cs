using Devana.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;

namespace Devana.Infrastructure.Telemetry;

/// <summary>
/// What is exported, read once at start-up (docs/observability.md). OTLP follows the standard
/// <c>OTEL_*</c> variables: traces go out when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or
/// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> is set (metrics likewise with <c>..._METRICS_ENDPOINT</c>),
/// unless <c>OTEL_SDK_DISABLED</c> is <c>true</c> or <c>OTEL_TRACES_EXPORTER</c> / <c>OTEL_METRICS_EXPORTER</c>
/// is <c>none</c>. The Prometheus endpoint (<c>Devana:Telemetry:Prometheus</c>) is off unless enabled.
/// </summary>
/// <param name="OtlpTraces">Traces are exported over OTLP.</param>
/// <param name="OtlpMetrics">Metrics are exported over OTLP.</param>
/// <param name="Prometheus">Metrics are served on <c>GET /metrics</c>.</param>
/// <param name="PrometheusAllowedHosts">When not empty, <c>/metrics</c> answers only requests to these hosts (<c>host</c>, <c>host:port</c>, <c>*:port</c>).</param>
/// <param name="EnableSensitiveData">LLM spans carry the messages and answers (off by default: they are the callers' data).</param>
public sealed record TelemetrySettings(
    bool OtlpTraces,
    bool OtlpMetrics,
    bool Prometheus,
    IReadOnlyList<string> PrometheusAllowedHosts,
    bool EnableSensitiveData)
{
    public const string PrometheusPath = "/metrics";

    /// <summary>The ActivitySource and Meter of the LLM calls' GenAI spans and <c>gen_ai.*</c> metrics.</summary>
    public const string LlmSourceName = "Devana.Llm";

    /// <summary>Some exporter is on, so traces or metrics are collected at all.</summary>
    public bool Enabled => OtlpTraces || Metrics;

    /// <summary>Metrics are collected (for OTLP, Prometheus or both).</summary>
    public bool Metrics => OtlpMetrics || Prometheus;

    /// <summary>
    /// The checked <c>Devana:Telemetry</c> options (<see cref="TelemetryOptionsValidator"/>) and the exporter
    /// switches of the standard <c>OTEL_*</c> variables, which the OpenTelemetry SDK itself reads too.
    /// </summary>
    public static TelemetrySettings Create(TelemetryOptions options, IConfiguration otelVariables)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(otelVariables);
        var sdkDisabled = string.Equals(otelVariables["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase);
        var anyEndpoint = IsSet(otelVariables, "OTEL_EXPORTER_OTLP_ENDPOINT");
        var traces = !sdkDisabled && !IsNone(otelVariables, "OTEL_TRACES_EXPORTER") && (anyEndpoint || IsSet(otelVariables, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        var metrics = !sdkDisabled && !IsNone(otelVariables, "OTEL_METRICS_EXPORTER") && (anyEndpoint || IsSet(otelVariables, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"));
        return new TelemetrySettings(traces, metrics, options.Prometheus.Enabled, [.. options.Prometheus.AllowedHosts], options.EnableSensitiveData);
    }

    /// <summary><see cref="Create"/> from the host's configuration, <c>Devana:Telemetry</c> bound and checked now (it decides what is registered).</summary>
    public static TelemetrySettings Read(IConfiguration configuration) =>
        Create(configuration.GetValidated<TelemetryOptions, TelemetryOptionsValidator>(TelemetryOptions.Section), configuration);

    private static bool IsSet(IConfiguration configuration, string key) => !string.IsNullOrWhiteSpace(configuration[key]);

    private static bool IsNone(IConfiguration configuration, string key) => string.Equals(configuration[key]?.Trim(), "none", StringComparison.OrdinalIgnoreCase);
}
