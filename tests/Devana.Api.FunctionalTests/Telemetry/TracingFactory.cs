using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Serilog.AspNetCore;
using Serilog.Core;
using Serilog.Events;

namespace Devana.Api.FunctionalTests.Telemetry;

/// <summary>
/// <see cref="TelemetryFactory"/> exporting over OTLP/HTTP to a <see cref="FakeOtlpCollector"/>, set up by
/// the standard <c>OTEL_*</c> variables only, with every ended span kept in <see cref="Spans"/> and every
/// log event in <see cref="Logs"/> (request lines included).
/// </summary>
public class TracingFactory : TelemetryFactory
{
    public FakeOtlpCollector Collector { get; private set; } = null!;

    public SpanCollector Spans { get; } = new();

    public ConcurrentQueue<LogEvent> Logs { get; } = new();

    protected virtual bool EnableSensitiveData => false;

    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Endpoint;
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        settings["OTEL_SERVICE_NAME"] = "devana-under-test";
        settings["Devana:Telemetry:EnableSensitiveData"] = EnableSensitiveData ? "true" : "false";
        settings["Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware"] = "Information";
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(Spans));
            services.AddSingleton<ILogEventSink>(new CollectingSink(Logs));
            // The request line goes to the static Serilog logger unless told otherwise, and test hosts share
            // the process: this host's line must reach this host's sink.
            services.AddOptions<RequestLoggingOptions>().Configure<Serilog.ILogger>((options, logger) => options.Logger = logger);
        });
    }

    public override async Task InitializeAsync()
    {
        Collector = await FakeOtlpCollector.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Collector is not null)
        {
            await Collector.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private sealed class CollectingSink(ConcurrentQueue<LogEvent> events) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);
    }
}

/// <summary><see cref="TracingFactory"/> with <c>Devana:Telemetry:EnableSensitiveData</c> on.</summary>
public sealed class SensitiveTracingFactory : TracingFactory
{
    protected override bool EnableSensitiveData => true;
}
