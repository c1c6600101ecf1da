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
    public const string Section = "Devana:Telemetry";
    public const string PrometheusPath = "/metrics";

    /// <summary>The ActivitySource and Meter of the LLM calls' GenAI spans and <c>gen_ai.*</c> metrics.</summary>
    public const string LlmSourceName = "Devana.Llm";

    /// <summary>Some exporter is on, so traces or metrics are collected at all.</summary>
    public bool Enabled => OtlpTraces || Metrics;

    /// <summary>Metrics are collected (for OTLP, Prometheus or both).</summary>
    public bool Metrics => OtlpMetrics || Prometheus;

    public static TelemetrySettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var sdkDisabled = string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase);
        var anyEndpoint = IsSet(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT");
        var traces = !sdkDisabled && !IsNone(configuration, "OTEL_TRACES_EXPORTER") && (anyEndpoint || IsSet(configuration, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        var metrics = !sdkDisabled && !IsNone(configuration, "OTEL_METRICS_EXPORTER") && (anyEndpoint || IsSet(configuration, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"));

        var prometheus = section.GetSection("Prometheus");
        var hosts = prometheus.GetSection("AllowedHosts").Get<string[]>() ?? [];
        var invalid = hosts.Where(host => string.IsNullOrWhiteSpace(host) || host.Contains('/', StringComparison.Ordinal) || host.Contains("://", StringComparison.Ordinal)).ToList();
        if (invalid.Count > 0)
        {
            throw new InvalidOperationException(
                $"'{Section}:Prometheus:AllowedHosts' takes hosts as a request's Host header names them ('localhost', 'metrics.internal:9464', '*:9464'), not URLs; found: {string.Join(", ", invalid.Select(h => $"'{h}'"))}.");
        }

        return new TelemetrySettings(
            traces,
            metrics,
            prometheus.GetValue("Enabled", false),
            hosts,
            section.GetValue("EnableSensitiveData", false));
    }

    private static bool IsSet(IConfiguration configuration, string key) => !string.IsNullOrWhiteSpace(configuration[key]);

    private static bool IsNone(IConfiguration configuration, string key) => string.Equals(configuration[key]?.Trim(), "none", StringComparison.OrdinalIgnoreCase);
}
