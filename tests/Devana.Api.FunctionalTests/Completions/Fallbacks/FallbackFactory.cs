using System.Collections.Concurrent;
using System.Globalization;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Serilog.AspNetCore;
using Serilog.Core;
using Serilog.Events;

namespace Devana.Api.FunctionalTests.Completions.Fallbacks;

/// <summary>
/// The real host with three LLMs on one <see cref="FakeOpenAiUpstream"/> (told apart by the upstream model each
/// request names), no upstream retries, a 10 s upstream timeout on a fake clock (<see cref="Clock"/>: it passes
/// only when a test moves it), and every log event kept in <see cref="Logs"/> (the request lines included).
/// </summary>
public sealed class FallbackFactory : FakeUpstreamApiFactory
{
    public const string Primary = "fake-primary";
    public const string Backup = "fake-backup";
    public const string Spare = "fake-spare";
    public const string Narrow = "fake-narrow";
    public static readonly TimeSpan UpstreamTimeout = TimeSpan.FromSeconds(10);

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public ConcurrentQueue<LogEvent> Logs { get; } = new();

    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["Devana:Llm:Providers:fake:BaseUrl"] = Upstream.BaseUrl;
        settings["Devana:Llm:Providers:fake:ApiKey"] = "sk-fake-upstream-key";
        settings["Devana:Llm:Providers:fake:MaxRetries"] = "0";
        settings["Devana:Llm:Providers:fake:TimeoutSeconds"] = UpstreamTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        settings["Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware"] = "Information";
        AddModel(settings, 1, Primary, 100000, 1000);
        AddModel(settings, 2, Backup, 100000, 1000);
        AddModel(settings, 3, Spare, 100000, 1000);
        AddModel(settings, 4, Narrow, 100000, 10);
        return settings;
    }

    /// <summary>The upstream model name an LLM id is sent as.</summary>
    public static string UpstreamModelOf(string llm) => "upstream-" + llm["fake-".Length..];

    private static void AddModel(IDictionary<string, string?> settings, int index, string id, int context, int maxOutput)
    {
        settings[$"Devana:Llm:Models:{index}:Id"] = id;
        settings[$"Devana:Llm:Models:{index}:Provider"] = "fake";
        settings[$"Devana:Llm:Models:{index}:UpstreamModel"] = UpstreamModelOf(id);
        settings[$"Devana:Llm:Models:{index}:ContextWindow"] = context.ToString(CultureInfo.InvariantCulture);
        settings[$"Devana:Llm:Models:{index}:MaxOutputTokens"] = maxOutput.ToString(CultureInfo.InvariantCulture);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<ILogEventSink>(new CollectingSink(Logs));
            // The request line goes to the static Serilog logger unless told otherwise, and test hosts share
            // the process: this host's line must reach this host's sink.
            services.AddOptions<RequestLoggingOptions>().Configure<Serilog.ILogger>((options, logger) => options.Logger = logger);
        });
    }

    /// <summary>A context of its own on the host's database, to read the ledger directly.</summary>
    public AsyncServiceScope CreateDatabaseScope(out DevanaDbContext db)
    {
        var scope = Services.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();
        return scope;
    }

    private sealed class CollectingSink(ConcurrentQueue<LogEvent> events) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);
    }
}
