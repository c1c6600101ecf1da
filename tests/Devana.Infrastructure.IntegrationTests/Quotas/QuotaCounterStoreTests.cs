using Devana.Application.Common.Exceptions;
using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;
using Devana.Infrastructure.IntegrationTests.Persistence;
using Devana.Infrastructure.Persistence;
using Devana.Infrastructure.Quotas;
using Devana.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.IntegrationTests.Quotas;

/// <summary>
/// The counter store on a real database, through the real migrations, with real concurrency: SQLite and
/// PostgreSQL always; SQL Server where a Docker engine answers (else skipped with the reason).
/// </summary>
public abstract class QuotaCounterStoreTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : DatabaseFixture
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 30, TimeSpan.Zero);

    protected TFixture Fixture { get; } = fixture;

    /// <summary>A workspace of its own per test: the fixture's database is shared by the class.</summary>
    protected static QuotaPolicy Policy(QuotaLimits? workspace = null, QuotaLimits? principal = null) =>
        QuotaPolicy.ForCompletion("ws_" + Guid.NewGuid().ToString("N"), workspace ?? QuotaLimits.None, "usr_alice", principal, "support", null);

    private protected static async Task<T> WithStoreAsync<T>(IServiceProvider services, Func<EfQuotaCounterStore, Task<T>> action)
    {
        await using var scope = services.CreateAsyncScope();
        return await action(new EfQuotaCounterStore(scope.ServiceProvider.GetRequiredService<DevanaDbContext>()));
    }

    private protected async Task<T> WithStoreAsync<T>(Func<EfQuotaCounterStore, Task<T>> action)
    {
        await using var scope = Fixture.CreateScope();
        return await action(new EfQuotaCounterStore(scope.ServiceProvider.GetRequiredService<DevanaDbContext>()));
    }

    /// <summary>One settlement through a store of its own, as a completion's is.</summary>
    private protected Task AdjustAsync(IReadOnlyList<QuotaCharge> adjustments) => WithStoreAsync(async store =>
    {
        await store.AdjustAsync(adjustments, CancellationToken.None);
        return true;
    });

    protected static int IndexOf(IReadOnlyList<QuotaCharge> charges, QuotaLevel level, QuotaLimitKind kind) =>
        charges.ToList().FindIndex(c => c.Level == level && c.Kind == kind);

    [SkippableFact]
    public async Task FiftyConcurrentReservations_AgainstTenRequestsPerDay_AdmitExactlyTen()
    {
        var policy = Policy(principal: QuotaLimits.Create(0, 10, 0, 0));
        var charges = policy.Reserve(25, Now);
        await using (Fixture.CreateScope())
        {
            // Skips here, before any task starts, where the database cannot run.
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => WithStoreAsync(store => store.TryReserveAsync(charges, CancellationToken.None)))));

        results.Count(r => r.Breach is null).Should().Be(10);
        results.Where(r => r.Breach is not null).Should().OnlyContain(r => r.Breach!.Charge.Kind == QuotaLimitKind.RequestsPerDay && r.Breach.Used == 10);
        var used = await WithStoreAsync(store => store.GetUsedAsync(charges, CancellationToken.None));
        used[IndexOf(charges, QuotaLevel.Principal, QuotaLimitKind.RequestsPerDay)].Should().Be(10);
        used[IndexOf(charges, QuotaLevel.Workspace, QuotaLimitKind.RequestsPerMinute)].Should().Be(10, "refused requests leave no trace on any counter");
        used[IndexOf(charges, QuotaLevel.Agent, QuotaLimitKind.TokensPerMonth)].Should().Be(250);
    }

    [SkippableFact]
    public async Task Reserve_WhenOneLimitIsFull_ChangesNoCounterAtAll()
    {
        var policy = Policy(workspace: QuotaLimits.Create(0, 0, 100, 0));
        var charges = policy.Reserve(60, Now);

        var first = await WithStoreAsync(store => store.TryReserveAsync(charges, CancellationToken.None));
        var second = await WithStoreAsync(store => store.TryReserveAsync(charges, CancellationToken.None));

        first.Breach.Should().BeNull();
        first.UsedAfter.Should().HaveCount(charges.Count);
        first.UsedAfter[IndexOf(charges, QuotaLevel.Workspace, QuotaLimitKind.TokensPerDay)].Should().Be(60);
        second.Breach.Should().NotBeNull();
        second.Breach!.Charge.Level.Should().Be(QuotaLevel.Workspace);
        second.Breach.Charge.Kind.Should().Be(QuotaLimitKind.TokensPerDay);
        second.Breach.Used.Should().Be(60);
        var used = await WithStoreAsync(store => store.GetUsedAsync(charges, CancellationToken.None));
        used.Should().Equal(first.UsedAfter, "the refused request's earlier charges (its request counters) were rolled back");
    }

    [SkippableFact]
    public async Task Adjust_RefundsTheDifference_AndNeverGoesBelowZero()
    {
        var charges = Policy().Reserve(300, Now);
        await WithStoreAsync(store => store.TryReserveAsync(charges, CancellationToken.None));

        await AdjustAsync(QuotaPolicy.Settle(charges, 120));
        var settled = await WithStoreAsync(store => store.GetUsedAsync(charges, CancellationToken.None));
        await AdjustAsync(charges.Select(c => c with { Amount = -1000 }).ToList());
        var floored = await WithStoreAsync(store => store.GetUsedAsync(charges, CancellationToken.None));

        settled[IndexOf(charges, QuotaLevel.Principal, QuotaLimitKind.TokensPerDay)].Should().Be(120);
        settled[IndexOf(charges, QuotaLevel.Principal, QuotaLimitKind.RequestsPerDay)].Should().Be(1);
        floored.Should().OnlyContain(value => value == 0);
    }

    [SkippableFact]
    public async Task Subjects_WithQuotes_Backslashes_AndNonAsciiLetters_KeepCountersOfTheirOwn()
    {
        // An id must come back from the statements' RETURNING as it went in, to be matched to its counter.
        var workspaceId = "ws_" + Guid.NewGuid().ToString("N");
        var odd = QuotaPolicy.ForCompletion(workspaceId, QuotaLimits.None, "usr_\"quoted\" \\ back'slash", null, "agent_é_日本_🙂", null).Reserve(7, Now);
        var plain = QuotaPolicy.ForCompletion(workspaceId, QuotaLimits.None, "usr_quoted", null, "agent_e", null).Reserve(5, Now);

        var first = await WithStoreAsync(store => store.TryReserveAsync(odd, CancellationToken.None));
        await WithStoreAsync(store => store.TryReserveAsync(plain, CancellationToken.None));
        var second = await WithStoreAsync(store => store.TryReserveAsync(odd, CancellationToken.None));
        await AdjustAsync(QuotaPolicy.Settle(odd, 3));
        var used = await WithStoreAsync(store => store.GetUsedAsync(odd, CancellationToken.None));

        first.UsedAfter[IndexOf(odd, QuotaLevel.Principal, QuotaLimitKind.TokensPerDay)].Should().Be(7);
        second.UsedAfter[IndexOf(odd, QuotaLevel.Principal, QuotaLimitKind.TokensPerDay)].Should().Be(14, "the other subjects' counters are not these");
        second.UsedAfter[IndexOf(odd, QuotaLevel.Workspace, QuotaLimitKind.TokensPerDay)].Should().Be(19, "the workspace's counter is shared");
        used[IndexOf(odd, QuotaLevel.Agent, QuotaLimitKind.TokensPerDay)].Should().Be(10, "the settlement of the second reservation (7 → 3) found the agent's counter by its id");
    }

    [SkippableFact]
    public async Task Counters_WhoseValuesCoincide_KeepCountsOfTheirOwn()
    {
        // At midnight on the first of a month every window starts at once; here the principal and the agent
        // share an id, and a reservation of one token charges as much as its request. The SQLite statements bind
        // each distinct value once, so these rows share parameters while staying counters of their own.
        var firstOfMonth = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var workspaceId = "ws_" + Guid.NewGuid().ToString("N");
        QuotaCharge[] Reserve(int tokens) => [.. QuotaPolicy.ForCompletion(workspaceId, QuotaLimits.None, "same", null, "same", null).Reserve(tokens, firstOfMonth)];
        var one = Reserve(1);
        var two = Reserve(2);

        await WithStoreAsync(store => store.TryReserveAsync(one, CancellationToken.None));
        await WithStoreAsync(store => store.TryReserveAsync(one, CancellationToken.None));
        var last = await WithStoreAsync(store => store.TryReserveAsync(two, CancellationToken.None));
        await AdjustAsync(QuotaPolicy.Settle(two, 5));
        var used = await WithStoreAsync(store => store.GetUsedAsync(two, CancellationToken.None));

        foreach (var level in new[] { QuotaLevel.Workspace, QuotaLevel.Principal, QuotaLevel.Agent })
        {
            last.UsedAfter[IndexOf(two, level, QuotaLimitKind.RequestsPerMinute)].Should().Be(3, "{0}'s requests are counted apart from its tokens", level);
            last.UsedAfter[IndexOf(two, level, QuotaLimitKind.TokensPerDay)].Should().Be(4, "{0}'s day began with the month", level);
            used[IndexOf(two, level, QuotaLimitKind.RequestsPerDay)].Should().Be(3, "the settlement changes tokens only");
            used[IndexOf(two, level, QuotaLimitKind.TokensPerDay)].Should().Be(7, "the last reservation settled 2 → 5");
            used[IndexOf(two, level, QuotaLimitKind.TokensPerMonth)].Should().Be(7);
        }
    }

    [SkippableFact]
    public async Task Reserve_InsideTheCallersTransaction_CommitsWithIt_OrRollsBackWithIt()
    {
        var committed = Policy().Reserve(10, Now);
        var rolledBack = Policy().Reserve(10, Now);

        await using (var scope = Fixture.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();
            var store = new EfQuotaCounterStore(db);
            await db.InTransactionAsync(token => store.TryReserveAsync(committed, token), CancellationToken.None);
            var failing = () => db.InTransactionAsync<bool>(async token =>
            {
                await store.TryReserveAsync(rolledBack, token);
                throw new InvalidOperationException("the user turn could not be stored");
            }, CancellationToken.None);
            await failing.Should().ThrowAsync<InvalidOperationException>();
        }

        (await WithStoreAsync(store => store.GetUsedAsync(committed, CancellationToken.None))).Should().Contain(1).And.Contain(10);
        (await WithStoreAsync(store => store.GetUsedAsync(rolledBack, CancellationToken.None))).Should().OnlyContain(value => value == 0);
    }

    [SkippableFact]
    public async Task Reserve_RefusedInsideTheCallersTransaction_TakesBackItsChargesOnly()
    {
        var policy = Policy(workspace: QuotaLimits.Create(0, 1, 0, 0));
        var charges = policy.Reserve(50, Now);
        await WithStoreAsync(store => store.TryReserveAsync(charges, CancellationToken.None));
        var other = Policy().Reserve(7, Now);

        QuotaReservationResult refused;
        await using (var scope = Fixture.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();
            var store = new EfQuotaCounterStore(db);
            refused = await db.InTransactionAsync(async token =>
            {
                await store.TryReserveAsync(other, token);
                return await store.TryReserveAsync(charges, token);
            }, CancellationToken.None);
        }

        refused.Breach.Should().NotBeNull();
        refused.Breach!.Charge.Kind.Should().Be(QuotaLimitKind.RequestsPerDay);
        refused.Breach.Used.Should().Be(1);
        (await WithStoreAsync(store => store.GetUsedAsync(charges, CancellationToken.None))).Should().Contain(1).And.Contain(50).And.NotContain(2).And.NotContain(100);
        (await WithStoreAsync(store => store.GetUsedAsync(other, CancellationToken.None))).Should().Contain(7, "the transaction's other writes were kept");
    }

    [SkippableFact]
    public async Task Adjust_InsideTheCallersTransaction_CommitsWithIt()
    {
        var charges = Policy().Reserve(300, Now);
        await WithStoreAsync(store => store.TryReserveAsync(charges, CancellationToken.None));

        await using (var scope = Fixture.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();
            var store = new EfQuotaCounterStore(db);
            await db.InTransactionAsync(async token =>
            {
                await store.AdjustAsync(QuotaPolicy.Settle(charges, 100), token);
                return true;
            }, CancellationToken.None);
        }

        var used = await WithStoreAsync(store => store.GetUsedAsync(charges, CancellationToken.None));
        used[IndexOf(charges, QuotaLevel.Agent, QuotaLimitKind.TokensPerMonth)].Should().Be(100);
    }

    [SkippableFact]
    public async Task GetUsed_OfCountersNeverWritten_IsZero()
    {
        var charges = Policy().Counters(Now);

        var used = await WithStoreAsync(store => store.GetUsedAsync(charges, CancellationToken.None));

        used.Should().HaveCount(12).And.OnlyContain(value => value == 0);
    }

    [SkippableFact]
    public async Task NextWindow_StartsFromZero()
    {
        var policy = Policy(principal: QuotaLimits.Create(1, 0, 0, 0));
        var first = await WithStoreAsync(store => store.TryReserveAsync(policy.Reserve(1, Now), CancellationToken.None));
        var sameMinute = await WithStoreAsync(store => store.TryReserveAsync(policy.Reserve(1, Now.AddSeconds(29)), CancellationToken.None));
        var nextMinute = await WithStoreAsync(store => store.TryReserveAsync(policy.Reserve(1, Now.AddSeconds(30)), CancellationToken.None));

        first.Breach.Should().BeNull();
        sameMinute.Breach.Should().NotBeNull();
        sameMinute.Breach!.ResetsAtText.Should().Be("2026-11-25T10:01:00Z");
        nextMinute.Breach.Should().BeNull();
    }

    [SkippableFact]
    public async Task TwoServiceProviders_OnOneDatabase_ShareTheLimit()
    {
        await using (Fixture.CreateScope())
        {
            // Skips here where the database cannot run.
        }

        // As two hosts would: two context pools and two connection pools on one database.
        await using var other = new ServiceCollection().AddLogging().AddPersistence(Fixture.Options).BuildServiceProvider();
        var charges = Policy(principal: QuotaLimits.Create(0, 10, 0, 0)).Reserve(1, Now);
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => i % 2 == 0
            ? WithStoreAsync(store => store.TryReserveAsync(charges, CancellationToken.None))
            : WithStoreAsync(other, store => store.TryReserveAsync(charges, CancellationToken.None)))));

        results.Count(r => r.Breach is null).Should().Be(10);
    }

    [SkippableFact]
    public async Task Purge_DeletesOnlyWindowsThatEndedBeforeTheCutoff()
    {
        var policy = Policy();
        var old = policy.Reserve(1, Now.AddDays(-40));
        var current = policy.Reserve(1, Now);
        await WithStoreAsync(store => store.TryReserveAsync(old, CancellationToken.None));
        await WithStoreAsync(store => store.TryReserveAsync(current, CancellationToken.None));

        await WithStoreAsync(store => store.PurgeAsync(Now.AddDays(-1), CancellationToken.None));

        (await WithStoreAsync(store => store.GetUsedAsync(old, CancellationToken.None))).Should().OnlyContain(value => value == 0);
        (await WithStoreAsync(store => store.GetUsedAsync(current, CancellationToken.None))).Should().OnlyContain(value => value >= 1);
    }
}

public sealed class SqliteQuotaCounterStoreTests(SqliteDatabaseFixture fixture) : QuotaCounterStoreTests<SqliteDatabaseFixture>(fixture)
{
    [Fact]
    public async Task UnreachableDatabase_IsServiceUnavailable()
    {
        var blocked = Path.Combine(Path.GetTempPath(), "devana-db-tests", "blocked-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(blocked);
        try
        {
            var options = new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={blocked};Mode=ReadWrite", false);
            await using var services = new ServiceCollection().AddLogging().AddPersistence(options).BuildServiceProvider();

            var reserve = () => WithStoreAsync(services, store => store.TryReserveAsync(Policy().Reserve(1, Now), CancellationToken.None));

            (await reserve.Should().ThrowAsync<ServiceUnavailableException>()).Which.Code.Should().Be(ErrorCodes.ServiceUnavailable);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(blocked, recursive: true);
        }
    }

    [Fact]
    public async Task Counters_AreRowsOfTheMigratedTable()
    {
        var charges = Policy().Reserve(5, Now);
        await WithStoreAsync(store => store.TryReserveAsync(charges, CancellationToken.None));

        await using var scope = Fixture.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();
        var workspaceId = charges[0].Key.WorkspaceId;
        var rows = await db.Set<QuotaCounter>().Where(c => c.WorkspaceId == workspaceId).ToListAsync();

        rows.Should().HaveCount(12);
        rows.Should().OnlyContain(c => c.WindowEnd > c.WindowStart);
    }
}

public sealed class SqlServerQuotaCounterStoreTests(SqlServerDatabaseFixture fixture) : QuotaCounterStoreTests<SqlServerDatabaseFixture>(fixture);

public sealed class PostgresQuotaCounterStoreTests(PostgresDatabaseFixture fixture) : QuotaCounterStoreTests<PostgresDatabaseFixture>(fixture)
{
    [SkippableFact]
    public async Task UnreachableDatabase_IsServiceUnavailable()
    {
        var server = await PostgresServer.GetAsync();
        var options = new DatabaseOptions(DatabaseProvider.Postgres, server.ConnectionString("no_such_database"), false);
        await using var services = new ServiceCollection().AddLogging().AddPersistence(options).BuildServiceProvider();

        var reserve = () => WithStoreAsync(services, store => store.TryReserveAsync(Policy().Reserve(1, Now), CancellationToken.None));

        (await reserve.Should().ThrowAsync<ServiceUnavailableException>()).Which.Code.Should().Be(ErrorCodes.ServiceUnavailable);
    }
}
