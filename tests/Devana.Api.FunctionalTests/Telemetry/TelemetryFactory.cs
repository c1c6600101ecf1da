using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Telemetry;

/// <summary>
/// The real host with <c>GET /metrics</c> on, the echo LLM and <c>fake-large</c> served by a
/// <see cref="FakeOpenAiUpstream"/> with one quick retry.
/// </summary>
public class TelemetryFactory : FakeUpstreamApiFactory
{
    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["Devana:Telemetry:Prometheus:Enabled"] = "true";
        settings["Devana:Llm:Providers:fake:BaseUrl"] = Upstream.BaseUrl;
        settings["Devana:Llm:Providers:fake:ApiKey"] = "sk-fake-upstream-key";
        settings["Devana:Llm:Providers:fake:MaxRetries"] = "1";
        settings["Devana:Llm:Providers:fake:RetryDelayMilliseconds"] = "0";
        return settings;
    }
}
