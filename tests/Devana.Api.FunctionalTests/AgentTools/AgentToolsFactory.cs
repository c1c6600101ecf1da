using System.Collections.Concurrent;
using Devana.Api.FunctionalTests.Completions.Tools;
using Devana.Api.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace Devana.Api.FunctionalTests.AgentTools;

/// <summary>
/// The real host with the echo LLM, <c>gpt-fake</c> (the OpenAI wire of <see cref="FakeToolUpstreams"/>, which
/// reports 20 prompt and 5 completion tokens per call), a <see cref="LocalToolServer"/> on loopback listed in
/// <c>Devana:Tools:AllowedHosts</c> (127.0.0.1 only: <c>localhost</c> is not), small caps (64 KiB, 50
/// tokens) and every log event kept in <see cref="Logs"/>.
/// </summary>
public sealed class AgentToolsFactory : DevanaApiFactory
{
    public LocalToolServer Tools { get; private set; } = null!;

    public ConcurrentQueue<LogEvent> Logs { get; } = new();

    public FakeToolUpstreams Upstreams { get; private set; } = null!;

    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["Devana:Tools:AllowedHosts:0"] = "127.0.0.1";
        settings["Devana:Tools:AllowedHosts:1"] = "tools.example.com";
        settings["Devana:Tools:MaxResponseBytes"] = "65536";
        settings["Devana:Tools:MaxOutputTokens"] = "50";
        settings["Serilog:MinimumLevel:Default"] = "Information";
        settings["Devana:Llm:Providers:oai:Type"] = "OpenAI";
        settings["Devana:Llm:Providers:oai:BaseUrl"] = Upstreams.BaseUrl + "/openai/v1";
        settings["Devana:Llm:Providers:oai:ApiKey"] = FakeToolUpstreams.ApiKey;
        settings["Devana:Llm:Providers:oai:MaxRetries"] = "0";
        settings["Devana:Llm:Models:1:Id"] = "gpt-fake";
        settings["Devana:Llm:Models:1:Provider"] = "oai";
        settings["Devana:Llm:Models:1:MaxOutputTokens"] = "1000";
        settings["Devana:Llm:Models:1:Capabilities"] = "tools";
        settings["Devana:Llm:Models:1:UpstreamModel"] = "gpt-fake";
        settings["Devana:Llm:Models:1:ContextWindow"] = "100000";
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(new CollectingSink(Logs)));
    }

    public override async Task InitializeAsync()
    {
        Tools = await LocalToolServer.StartAsync();
        Upstreams = await FakeToolUpstreams.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Tools is not null)
        {
            await Tools.DisposeAsync();
        }

        if (Upstreams is not null)
        {
            await Upstreams.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private sealed class CollectingSink(ConcurrentQueue<LogEvent> events) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);
    }
}
