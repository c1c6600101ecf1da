using System.Diagnostics.Metrics;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Telemetry;
using Devana.Application.Completions.CreateCompletion;
using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;
using Devana.Domain.Usage;
using Devana.Infrastructure.IntegrationTests.Persistence;
using Devana.Infrastructure.Persistence;
using Devana.Infrastructure.Quotas;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Devana.Infrastructure.IntegrationTests.Quotas;

/// <summary>
/// The quota gate's settlement and the counter janitor on a real database (a database of their own per
/// provider: some tests take the counter table away to make the database itself fail), with the real
/// counter store: the failure paths are real database errors inside real transactions, not a mocked context.
/// </summary>
public abstract class QuotaGateOnDatabaseTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : DatabaseFixture
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 30, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);

    /// <summary>Instruments nobody listens to: the gate records its refusals, these tests do not read them.</summary>
    private static readonly DevanaMetrics Metrics = new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    protected TFixture Fixture { get; } = fixture;

    [SkippableFact]
    public async Task WriteAndSettle_CommitsTheWriteAndTheSettlementTogether()
    {
        var workspaceId = NewWorkspace();
        var reservation = await ReserveAsync(workspaceId, 300);

        await using (var services = WriterServices())
        {
            await Writes(services).RecordAsync(reservation, 120, (unit, token) => WriteUsageAsync(unit, workspaceId, token));
        }

        (await UsageRowsAsync(workspaceId)).Should().Be(1);
        (await TokensUsedAsync(reservation)).Should().Be(120, "the 300 reserved tokens were settled to the 120 used");
    }

    [SkippableFact]
    public async Task WriteAndSettle_WhenTheSettlementFailsInsideTheTransaction_KeepsTheWrite_AndTheReservationStaysCounted()
    {
        var workspaceId = NewWorkspace();
        var reservation = await ReserveAsync(workspaceId, 300);
        var logger = new ListLogger<QuotaGate>();

        await using (var services = WriterServices(logger))
        {
            await using (await CountersAwayAsync())
            {
                // The settlement's UPDATE meets a missing table: a real error inside the transaction (on
                // PostgreSQL it aborts the transaction; the store's savepoint is what lets the write commit).
                await Writes(services).RecordAsync(reservation, 120, (unit, token) => WriteUsageAsync(unit, workspaceId, token));
            }
        }

        (await UsageRowsAsync(workspaceId)).Should().Be(1, "the write committed although the settlement failed");
        (await TokensUsedAsync(reservation)).Should().Be(300, "a failed settlement leaves the reservation counted (on the side of the limit)");
        logger.Warnings.Should().ContainSingle().Which.Should().Contain(workspaceId);
    }

    [SkippableFact]
    public async Task WriteAndSettle_WhenTheWriteFails_CommitsTheSettlementAlone_AndRethrows()
    {
        var workspaceId = NewWorkspace();
        var reservation = await ReserveAsync(workspaceId, 300);

        await using (var services = WriterServices())
        {
            var settle = () => Writes(services).RecordAsync(reservation, 120, async (unit, token) =>
            {
                await WriteUsageAsync(unit, workspaceId, token);
                await ((DevanaDbContext)unit.Db).Database.ExecuteSqlRawAsync("INSERT INTO no_such_table (id) VALUES (1);", token);
            });

            await settle.Should().ThrowAsync<Exception>();
        }

        (await UsageRowsAsync(workspaceId)).Should().Be(0, "the failed write's transaction rolled back");
        (await TokensUsedAsync(reservation)).Should().Be(120, "the settlement went in on its own");
    }

    [SkippableFact]
    public async Task Janitor_DeletesCountersOfWindowsEndedMoreThanADayAgo_AndKeepsTheOthers()
    {
        var workspaceId = NewWorkspace();
        var old = await ReserveAsync(workspaceId, 5, Now.AddDays(-40));
        var current = await ReserveAsync(workspaceId, 5, Now);
        await using var services = JanitorServices();
        var janitor = new QuotaCounterJanitor(services.GetRequiredService<IServiceScopeFactory>(), QuotaSettings.Unlimited, new RunningHost(), _clock, NullLogger<QuotaCounterJanitor>.Instance);

        await janitor.PurgeOnceAsync(CancellationToken.None);

        (await CountersAsync(workspaceId)).Should().OnlyContain(c => c.WindowEnd >= (Now - QuotaCounterJanitor.Grace).ToUnixTimeSeconds())
            .And.HaveCount(current.Charges.Count, "the old month's, day's and minute's counters are gone");
        (await TokensUsedAsync(current)).Should().Be(5);
        (await TokensUsedAsync(old)).Should().Be(0);
    }

    [SkippableFact]
    public async Task Janitor_WhenTheDatabaseFails_LogsAWarning_AndDoesNotThrow()
    {
        await using var services = JanitorServices();
        var logger = new ListLogger<QuotaCounterJanitor>();
        var janitor = new QuotaCounterJanitor(services.GetRequiredService<IServiceScopeFactory>(), QuotaSettings.Unlimited, new RunningHost(), _clock, logger);

        await using (await CountersAwayAsync())
        {
            await janitor.PurgeOnceAsync(CancellationToken.None);
        }

        logger.Warnings.Should().ContainSingle().Which.Should().Contain("Could not purge");
    }

    private static string NewWorkspace() => "ws_" + Guid.NewGuid().ToString("N");

    /// <summary>The completion writes as the host has them: through the group-commit writer, on the fixture's database.</summary>
    private static CompletionWrites Writes(ServiceProvider services) =>
        new(services.GetRequiredService<IGroupCommit>(), services.GetRequiredService<LiveQuotaHolds>());

    private ServiceProvider WriterServices(ILogger<QuotaGate>? logger = null)
    {
        using (Fixture.CreateScope())
        {
            // Skips here where the database cannot run.
        }

        return new ServiceCollection()
            .AddLogging()
            .AddPersistence(Fixture.Options)
            .AddSingleton(logger ?? NullLogger<QuotaGate>.Instance)
            .AddSingleton(QuotaSettings.Unlimited)
            .AddSingleton(new LiveQuotaHolds())
            .AddSingleton(Metrics)
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton<ISettingsCache>(new NoSettingsCache())
            .AddScoped<IQuotaCounterStore, EfQuotaCounterStore>()
            .AddScoped<QuotaGate>()
            .BuildServiceProvider();
    }

    private ServiceProvider JanitorServices()
    {
        using (Fixture.CreateScope())
        {
            // Skips here where the database cannot run.
        }

        return new ServiceCollection().AddLogging().AddPersistence(Fixture.Options).AddScoped<EfQuotaCounterStore>().BuildServiceProvider();
    }

    private async Task<QuotaReservation> ReserveAsync(string workspaceId, long tokens, DateTimeOffset? at = null)
    {
        await using var scope = Fixture.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();
        var clock = new FakeTimeProvider(at ?? Now);
        var gate = new QuotaGate(db, new EfQuotaCounterStore(db), QuotaSettings.Unlimited, new NoSettingsCache(), new LiveQuotaHolds(), Metrics, clock, NullLogger<QuotaGate>.Instance);
        var policy = QuotaPolicy.ForCompletion(workspaceId, QuotaLimits.None, "usr_alice", null, "support", null);
        return await gate.ReserveAsync(policy, tokens, null, CancellationToken.None);
    }

    private static Task WriteUsageAsync(IWriteUnit unit, string workspaceId, CancellationToken cancellationToken)
    {
        unit.Db.UsageRecords.Add(UsageRecord.Record(workspaceId, "usr_alice", "support", "echo", "conv_x", 100, 20, 5, UsageOutcome.Completed, Now));
        return unit.Db.SaveChangesAsync(cancellationToken);
    }

    private async Task<int> UsageRowsAsync(string workspaceId)
    {
        await using var scope = Fixture.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<DevanaDbContext>().UsageRecords.CountAsync(u => u.WorkspaceId == workspaceId);
    }

    /// <summary>The workspace's tokens-per-day counter of the reservation's window.</summary>
    private async Task<long> TokensUsedAsync(QuotaReservation reservation)
    {
        await using var scope = Fixture.CreateScope();
        var store = new EfQuotaCounterStore(scope.ServiceProvider.GetRequiredService<DevanaDbContext>());
        var used = await store.GetUsedAsync(reservation.Charges, CancellationToken.None);
        var index = reservation.Charges.ToList().FindIndex(c => c.Level == QuotaLevel.Workspace && c.Kind == QuotaLimitKind.TokensPerDay);
        return used[index];
    }

    private async Task<List<QuotaCounter>> CountersAsync(string workspaceId)
    {
        await using var scope = Fixture.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<DevanaDbContext>().Set<QuotaCounter>().AsNoTracking().Where(c => c.WorkspaceId == workspaceId).ToListAsync();
    }

    /// <summary>Renames the counter table away until disposed, so that the database itself fails every counter statement.</summary>
    private async Task<IAsyncDisposable> CountersAwayAsync()
    {
        const string Away = "quota_counters_away";
        var (away, back) = Fixture.Options.Provider == DatabaseProvider.SqlServer
            ? ($"EXEC sp_rename '{QuotaCounter.Table}', '{Away}';", $"EXEC sp_rename '{Away}', '{QuotaCounter.Table}';")
            : ($"ALTER TABLE {QuotaCounter.Table} RENAME TO {Away};", $"ALTER TABLE {Away} RENAME TO {QuotaCounter.Table};");
        await ExecuteAsync(away);
        return new Restore(() => ExecuteAsync(back));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var scope = Fixture.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DevanaDbContext>().Database.ExecuteSqlRawAsync(sql);
    }

    private sealed class Restore(Func<Task> restore) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await restore();
    }

    private sealed class NoSettingsCache : ISettingsCache
    {
        public Task<T> GetOrLoadAsync<T>(string key, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
            where T : class => load(cancellationToken);
    }
}

/// <summary>Keeps the warnings a class logs.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_warnings)
            {
                return _warnings.ToList();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel == LogLevel.Warning)
        {
            lock (_warnings)
            {
                _warnings.Add(formatter(state, exception));
            }
        }
    }
}

public sealed class SqliteQuotaGateOnDatabaseTests(SqliteDatabaseFixture fixture) : QuotaGateOnDatabaseTests<SqliteDatabaseFixture>(fixture);

public sealed class PostgresQuotaGateOnDatabaseTests(PostgresDatabaseFixture fixture) : QuotaGateOnDatabaseTests<PostgresDatabaseFixture>(fixture);

public sealed class SqlServerQuotaGateOnDatabaseTests(SqlServerDatabaseFixture fixture) : QuotaGateOnDatabaseTests<SqlServerDatabaseFixture>(fixture);
