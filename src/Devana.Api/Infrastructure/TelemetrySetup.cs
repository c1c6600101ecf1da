using System.Reflection;
using Devana.Application.Common.Telemetry;
using Devana.Infrastructure.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Devana.Api.Infrastructure;

/// <summary>
/// OpenTelemetry (docs/observability.md): traces of ASP.NET Core, HttpClient, EF Core and the LLM calls
/// (GenAI conventions), and metrics (Devana's own, <c>gen_ai.*</c>, ASP.NET Core, HttpClient, the
/// runtime), exported over OTLP as the standard <c>OTEL_*</c> variables say and/or served to Prometheus
/// on <c>GET /metrics</c>. With no exporter on, nothing is registered and nothing is collected.
/// </summary>
public static class TelemetrySetup
{
    public const string DefaultServiceName = "devana";

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = TelemetrySettings.Read(configuration);
        if (!settings.Enabled)
        {
            return services;
        }

        var version = typeof(TelemetrySetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var telemetry = services.AddOpenTelemetry()
            // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES are read by the SDK; this is only the default name.
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName, serviceVersion: version));

        if (settings.OtlpTraces)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(TelemetrySettings.LlmSourceName)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = http => !IsOperational(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()
                .AddOtlpExporter());
        }

        if (settings.Metrics)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(DevanaMetrics.MeterName, TelemetrySettings.LlmSourceName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddMeter("System.Runtime");
                if (settings.Prometheus)
                {
                    // Each scrape sees every measurement made before it (the exporter's default caches answers for 300 ms).
                    metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                }

                if (settings.OtlpMetrics)
                {
                    metrics.AddOtlpExporter();
                }
            });
        }

        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c> in the Prometheus text format, only when <c>Devana:Telemetry:Prometheus:Enabled</c>
    /// is true, and only for the hosts of <c>Devana:Telemetry:Prometheus:AllowedHosts</c> when some are
    /// listed (elsewhere it is a 404, as when it is off). It asks for no token: keep it off the public API.
    /// </summary>
    public static void MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var settings = endpoints.ServiceProvider.GetRequiredService<TelemetrySettings>();
        if (!settings.Prometheus)
        {
            return;
        }

        var endpoint = endpoints.MapPrometheusScrapingEndpoint(TelemetrySettings.PrometheusPath);
        if (settings.PrometheusAllowedHosts.Count > 0)
        {
            endpoint.RequireHost([.. settings.PrometheusAllowedHosts]);
        }
    }

    /// <summary>Scrapes and health probes: frequent, and of no interest in a trace.</summary>
    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments(TelemetrySettings.PrometheusPath, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
}
