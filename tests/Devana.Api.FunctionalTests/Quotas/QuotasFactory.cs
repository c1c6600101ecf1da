using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Devana.Api.FunctionalTests.Quotas;

/// <summary>
/// The real host with a fake clock (<see cref="Clock"/>: time moves only when a test moves it), the echo
/// LLM, and <c>fake-large</c> pointing at a closed port with no retries, so that calling it fails at once
/// before any output. Workspaces have default limits high enough never to bind.
/// </summary>
public class QuotasFactory : DevanaApiFactory
{
    /// <summary>A few seconds into a minute, so that a test has most of the minute before it moves the clock.</summary>
    public FakeTimeProvider Clock { get; } = new(StartOfTheMinute(DateTimeOffset.UtcNow).AddSeconds(2));

    public const long DefaultTokensPerMonth = 100_000_000;

    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["Devana:Llm:Providers:fake:MaxRetries"] = "0";
        settings["Devana:Quotas:Default:TokensPerMonth"] = DefaultTokensPerMonth.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>A context of its own on the host's database, to read the ledger and counters directly.</summary>
    public AsyncServiceScope CreateDatabaseScope(out DevanaDbContext db)
    {
        var scope = Services.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();
        return scope;
    }

    private static DateTimeOffset StartOfTheMinute(DateTimeOffset now) => new(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
}
