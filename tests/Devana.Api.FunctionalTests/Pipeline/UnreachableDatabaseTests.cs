using System.Net;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Pipeline;

/// <summary>A database that cannot be opened: the host still starts and /health/ready says 503.</summary>
public sealed class UnreachableDatabaseFactory : DevanaApiFactory
{
    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        // A directory where the database file should be: SQLite cannot open it.
        var blocked = Path.Combine(DataDirectory, "blocked");
        Directory.CreateDirectory(blocked);
        settings["ConnectionStrings:Devana"] = $"Data Source={blocked};Mode=ReadWrite";
        return settings;
    }
}

public sealed class UnreachableDatabaseTests(UnreachableDatabaseFactory factory) : IClassFixture<UnreachableDatabaseFactory>
{
    [Fact]
    public async Task HealthReady_WhenDatabaseCannotBeOpened_Returns503()
    {
        var client = factory.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var live = await client.GetAsync("/health/live");

        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        live.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
