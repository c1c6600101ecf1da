using System.Net;
using System.Net.Http.Json;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using static Devana.Api.FunctionalTests.Quotas.QuotaTestKit;

namespace Devana.Api.FunctionalTests.Quotas;

/// <summary>
/// A host of the service whose data directory — the database file and the signing keys, as two
/// instances of a deployment share them — is shared with another host.
/// </summary>
public sealed class SharedDatabaseFactory(string dataDirectory) : DevanaApiFactory(dataDirectory);

/// <summary>Two hosts (two web applications, two service providers, two connection pools) on one SQLite file.</summary>
public sealed class TwoHostsFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "devana-tests", "two-hosts-" + Guid.NewGuid().ToString("N"));

    public SharedDatabaseFactory First { get; private set; } = null!;

    public SharedDatabaseFactory Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        First = new SharedDatabaseFactory(_directory);
        await First.InitializeAsync();
        Second = new SharedDatabaseFactory(_directory);
        await Second.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)First).DisposeAsync();
        await ((IAsyncLifetime)Second).DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner.
        }
    }
}

public sealed class TwoHostsTests(TwoHostsFixture hosts) : IClassFixture<TwoHostsFixture>
{
    /// <summary>The same caller on the other host: the bearer token it already has.</summary>
    private static HttpClient OnHost(DevanaApiFactory host, TestCaller caller)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = caller.Client.DefaultRequestHeaders.Authorization;
        return client;
    }

    [Fact]
    public async Task TwoHostsOnOneSqliteFile_ShareTheirLimits()
    {
        var admin = await hosts.First.CreateUserAsync("shared", role: "admin");
        var user = await hosts.First.CreateUserAsync("shared");
        var agentId = await admin.CreateAgentAsync(new { name = "Shared", visibility = "workspace" });
        await admin.PutQuotaOkAsync($"/v1/quotas/principals/{user.PrincipalId}", new { requests_per_day = 6 });
        var onFirst = user.Client;
        var onSecond = OnHost(hosts.Second, user);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            (i % 2 == 0 ? onFirst : onSecond).PostAsJsonAsync("/completions", Ask(agentId, $"question {i}")))));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(6);
        responses.Where(r => r.StatusCode != HttpStatusCode.OK).Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Forbidden);
        var seenFromSecond = await new TestCaller(user.WorkspaceId, user.PrincipalId, onSecond).GetOkAsync("/v1/usage");
        Counter(seenFromSecond, "principal", "requests_per_day").GetProperty("used").GetInt64().Should().Be(6);
        Counter(seenFromSecond, "principal", "requests_per_day").GetProperty("remaining").GetInt64().Should().Be(0);
    }
}
