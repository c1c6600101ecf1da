namespace Devana.Infrastructure.Telemetry;

/// <summary><c>Devana:Telemetry:Prometheus</c>: the <c>GET /metrics</c> endpoint, off unless enabled.</summary>
public sealed class PrometheusOptions
{
    public bool Enabled { get; set; }

    /// <summary>When not empty, <c>/metrics</c> answers only requests to these hosts (<c>host</c>, <c>host:port</c>, <c>*:port</c>).</summary>
    public List<string> AllowedHosts { get; set; } = [];
}
