using System.Net;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Devana.Api.FunctionalTests.Quotas.QuotaTestKit;

namespace Devana.Api.FunctionalTests.Quotas;

/// <summary>A host whose counter table is gone: every reservation meets a real database error.</summary>
public sealed class BrokenCountersFactory : QuotasFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var scope = CreateDatabaseScope(out var db);
        await db.Database.ExecuteSqlRawAsync("DROP TABLE quota_counters;");
    }
}

public sealed class CounterStoreFailureTests(BrokenCountersFactory factory) : IClassFixture<BrokenCountersFactory>
{
    [Fact]
    public async Task DatabaseErrorWhileReserving_Is503_AndNothingIsStoredOrRun()
    {
        var user = await factory.CreateUserAsync("broken");
        var agentId = await user.CreateAgentAsync(new { name = "Echo" });

        var response = await user.CompleteAsync(Ask(agentId));
        var streamed = await user.CompleteAsync(Ask(agentId, stream: true));

        await response.ShouldBeErrorAsync(HttpStatusCode.ServiceUnavailable, "server_error", "service_unavailable");
        await streamed.ShouldBeErrorAsync(HttpStatusCode.ServiceUnavailable, "server_error", "service_unavailable");
        (await user.GetOkAsync("/v1/conversations")).GetProperty("data").GetArrayLength().Should().Be(0);
        await using var scope = factory.CreateDatabaseScope(out var db);
        (await db.UsageRecords.CountAsync()).Should().Be(0);
    }
}
