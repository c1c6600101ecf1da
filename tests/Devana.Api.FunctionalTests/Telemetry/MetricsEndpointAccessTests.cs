using System.Net;
using Devana.Api.FunctionalTests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Devana.Api.FunctionalTests.Telemetry;

/// <summary><c>/metrics</c> is off unless enabled (one factory per setting).</summary>
public sealed class MetricsEndpointOffTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    [Fact]
    public async Task ByDefault_MetricsIs404InTheEnvelope()
    {
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/metrics");

        await response.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error");
    }
}

/// <summary>The host with <c>/metrics</c> limited to <c>metrics.internal:9464</c>.</summary>
public sealed class RestrictedMetricsFactory : DevanaApiFactory
{
    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["Devana:Telemetry:Prometheus:Enabled"] = "true";
        settings["Devana:Telemetry:Prometheus:AllowedHosts:0"] = "metrics.internal:9464";
        return settings;
    }
}

public sealed class MetricsEndpointHostTests(RestrictedMetricsFactory factory) : IClassFixture<RestrictedMetricsFactory>
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("metrics.internal")]
    [InlineData("metrics.internal:80")]
    public async Task FromAHostNotAllowed_MetricsIs404InTheEnvelope(string host)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Host = host;

        var response = await client.SendAsync(request);

        await response.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error");
    }

    [Fact]
    public async Task FromTheAllowedHostAndPort_MetricsAreServed()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Host = "metrics.internal:9464";

        var response = await client.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        text.Should().Contain("# TYPE");
    }

    [Theory]
    [InlineData("http://metrics.internal:9464")]
    [InlineData("metrics.internal/metrics")]
    [InlineData(" ")]
    public void AllowedHosts_GivenAsUrls_StopStartUp(string host)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Devana:Telemetry:Prometheus:Enabled"] = "true",
            ["Devana:Telemetry:Prometheus:AllowedHosts:0"] = host,
        }).Build();

        var read = () => Devana.Infrastructure.Telemetry.TelemetrySettings.Read(configuration);

        read.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*Devana:Telemetry:Prometheus:AllowedHosts*");
    }
}
