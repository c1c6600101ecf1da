using System.Collections.Concurrent;
using Devana.Api.FunctionalTests.Completions.Tools;
using Devana.Api.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Devana.Infrastructure.Tools;
using Microsoft.Extensions.Logging;

namespace Devana.Api.FunctionalTests.AgentTools;

/// <summary>
/// The real host with the echo LLM, <c>gpt-fake</c> (the OpenAI wire of <see cref="FakeToolUpstreams"/>, which
/// reports 20 prompt and 5 completion tokens per call), a <see cref="LocalToolServer"/> on loopback listed in
/// <c>Devana:Tools:AllowedHosts</c> (127.0.0.1 only: <c>localhost</c> is not), small caps (64 KiB, 50
/// tokens) and every log line of the tool runners kept in <see cref="Logs"/> (their own loggers, replaced: the
/// Serilog logger factory writes to the process's static logger, which another test host may own).
/// </summary>
public sealed class AgentToolsFactory : DevanaApiFactory
{
    public LocalToolServer Tools { get; private set; } = null!;

    public ConcurrentQueue<string> Logs { get; } = new();

    public FakeToolUpstreams Upstreams { get; private set; } = null!;

    public EverythingMcpServer Mcp { get; private set; } = null!;

    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["Devana:Tools:AllowedHosts:0"] = "127.0.0.1";
        settings["Devana:Tools:AllowedHosts:1"] = "tools.example.com";
        settings["Devana:Tools:MaxResponseBytes"] = "65536";
        settings["Devana:Tools:MaxOutputTokens"] = "50";
        settings["Devana:Tools:McpTimeoutSeconds"] = "20";
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
        settings["Devana:Llm:Providers:loop:Type"] = "OpenAI";
        settings["Devana:Llm:Providers:loop:BaseUrl"] = Tools.BaseUrl + "/llm/v1";
        settings["Devana:Llm:Providers:loop:ApiKey"] = "sk-loop";
        settings["Devana:Llm:Providers:loop:MaxRetries"] = "0";
        settings["Devana:Llm:Models:2:Id"] = "looper";
        settings["Devana:Llm:Models:2:Provider"] = "loop";
        settings["Devana:Llm:Models:2:MaxOutputTokens"] = "100";
        settings["Devana:Llm:Models:2:Capabilities"] = "tools";
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILogger<HttpAgentToolInvoker>>(new CapturingLogger<HttpAgentToolInvoker>(Logs));
            services.AddSingleton<ILogger<McpToolSource>>(new CapturingLogger<McpToolSource>(Logs));
        });
    }

    public override async Task InitializeAsync()
    {
        Tools = await LocalToolServer.StartAsync();
        Upstreams = await FakeToolUpstreams.StartAsync();
        Mcp = await EverythingMcpServer.StartAsync();
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

        if (Mcp is not null)
        {
            await Mcp.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Keeps each line as written, with every property of its state.</summary>
    private sealed class CapturingLogger<T>(ConcurrentQueue<string> lines) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lines.Enqueue($"{formatter(state, exception)} | {properties} | {exception}");
        }
    }
}
