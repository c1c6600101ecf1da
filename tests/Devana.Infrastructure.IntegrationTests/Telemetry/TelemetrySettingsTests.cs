using Devana.Infrastructure.Telemetry;
using Microsoft.Extensions.Configuration;

namespace Devana.Infrastructure.IntegrationTests.Telemetry;

public sealed class TelemetrySettingsTests
{
    private static TelemetrySettings Read(params (string Key, string Value)[] settings) =>
        TelemetrySettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void FromConfiguration_WithNothingSet_ExportsNothing()
    {
        var settings = Read();

        settings.Should().BeEquivalentTo(new { OtlpTraces = false, OtlpMetrics = false, Prometheus = false, EnableSensitiveData = false, Enabled = false });
        settings.PrometheusAllowedHosts.Should().BeEmpty();
    }

    [Fact]
    public void FromConfiguration_TheGeneralOtlpEndpoint_TurnsOnTracesAndMetrics()
    {
        var settings = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"));

        settings.OtlpTraces.Should().BeTrue();
        settings.OtlpMetrics.Should().BeTrue();
        settings.Enabled.Should().BeTrue();
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", true, false)]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", false, true)]
    public void FromConfiguration_ASignalsEndpoint_TurnsOnThatSignalOnly(string key, bool traces, bool metrics)
    {
        var settings = Read((key, "http://collector:4318/v1/x"));

        settings.OtlpTraces.Should().Be(traces);
        settings.OtlpMetrics.Should().Be(metrics);
    }

    [Theory]
    [InlineData("OTEL_SDK_DISABLED", "true", false, false)]
    [InlineData("OTEL_SDK_DISABLED", "TRUE", false, false)]
    [InlineData("OTEL_SDK_DISABLED", "false", true, true)]
    [InlineData("OTEL_TRACES_EXPORTER", "none", false, true)]
    [InlineData("OTEL_METRICS_EXPORTER", "none", true, false)]
    [InlineData("OTEL_TRACES_EXPORTER", "otlp", true, true)]
    public void FromConfiguration_StandardSwitches_TurnSignalsOff(string key, string value, bool traces, bool metrics)
    {
        var settings = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"), (key, value));

        settings.OtlpTraces.Should().Be(traces);
        settings.OtlpMetrics.Should().Be(metrics);
    }

    [Fact]
    public void FromConfiguration_PrometheusAlone_CollectsMetricsButNoTraces()
    {
        var settings = Read(("Devana:Telemetry:Prometheus:Enabled", "true"), ("Devana:Telemetry:Prometheus:AllowedHosts:0", "*:9464"), ("Devana:Telemetry:Prometheus:AllowedHosts:1", "localhost"));

        settings.Should().BeEquivalentTo(new { Prometheus = true, Metrics = true, OtlpTraces = false, Enabled = true });
        settings.PrometheusAllowedHosts.Should().Equal("*:9464", "localhost");
    }

    [Fact]
    public void FromConfiguration_EnableSensitiveData_IsReadOnlyFromDevanasSetting()
    {
        Read(("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")).EnableSensitiveData.Should().BeFalse();
        Read(("Devana:Telemetry:EnableSensitiveData", "true")).EnableSensitiveData.Should().BeTrue();
    }

    [Fact]
    public void FromConfiguration_NotABoolean_StopsStartUpNamingTheKey()
    {
        var read = () => Read(("Devana:Telemetry:Prometheus:Enabled", "yes please"));

        read.Should().Throw<InvalidOperationException>().WithMessage("*Devana:Telemetry:Prometheus:Enabled*");
    }
}
