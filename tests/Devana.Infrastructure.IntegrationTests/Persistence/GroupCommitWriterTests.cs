using System.Data.Common;
using System.Diagnostics.Metrics;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Telemetry;
using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;
using Devana.Domain.Usage;
using Devana.Infrastructure.Persistence;
using Devana.Infrastructure.Quotas;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Devana.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// The completions' writer on a real database: on SQLite callers queued while the writer is busy share one
/// transaction, each in its own savepoint, and on the server databases each write has a transaction of its
/// own; either way one that fails is undone alone, a caller is answered only after the commit, reservations
/// made through two writers (two hosts) on one database stay exact, and two hosts never deadlock.
/// </summary>
public abstract class GroupCommitWriterTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : DatabaseFixture
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 30, TimeSpan.Zero);
    private static readonly DevanaMetrics Metrics = new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    protected TFixture Fixture { get; } = fixture;

    [SkippableFact]
    public async Task Batch_WhenOneCallersWriteFails_FailsOnlyThatCaller_AndTheOthersCommit()
    {
        var commits = new CommitSpy();
        await using var services = Services(commits);
        var writer = services.GetRequiredService<IGroupCommit>();
        var workspaceId = NewWorkspace();

        // The writer is held busy, so on SQLite the five writes queue and go in as one batch once it is free.
        var free = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var busy = writer.WriteAsync(async (_, _) => { await free.Task; return -1; }, CancellationToken.None);
        var writes = Enumerable.Range(0, 5).Select(i => writer.WriteAsync(
            async (unit, token) =>
            {
                unit.Db.UsageRecords.Add(Usage(workspaceId));
                await unit.Db.SaveChangesAsync(token);
                if (i == 2)
                {
                    // Its row is already written inside the batch's transaction: the savepoint takes it back.
                    await ((DevanaDbContext)unit.Db).Database.ExecuteSqlRawAsync("INSERT INTO no_such_table (id) VALUES (1);", token);
                }

                return i;
            },
            CancellationToken.None)).ToList();
        free.SetResult();
        await busy;

        foreach (var i in new[] { 0, 1, 3, 4 })
        {
            (await writes[i]).Should().Be(i);
        }

        await writes[2].Invoking(w => w).Should().ThrowAsync<DbException>();
        (await UsageRowsAsync(workspaceId)).Should().Be(4, "the four others committed; the failing one's row was rolled back to its savepoint");
        if (Fixture.Options.Provider == DatabaseProvider.Sqlite)
        {
            commits.Count.Should().BeLessThanOrEqualTo(2, "on SQLite six writes went in at most two transactions (the busy one, then the five queued behind it)");
        }
        else
        {
            commits.Count.Should().Be(5, "on a server database each write has a transaction of its own, run beside the busy one (the failed one rolled back)");
        }
    }

    [SkippableFact]
    public async Task LoneWrite_OnSqlite_RunsOnItsCallersThread_AndIsCommittedWhenItReturns()
    {
        var commits = new CommitSpy();
        await using var services = Services(commits);
        Skip.If(Fixture.Options.Provider != DatabaseProvider.Sqlite, "On a server database the write's transaction starts with its caller too, but the database answers asynchronously.");
        var writer = services.GetRequiredService<IGroupCommit>();
        var workspaceId = NewWorkspace();
        var caller = Environment.CurrentManagedThreadId;
        var ranOn = -1;

        var write = writer.WriteAsync(
            (unit, _) =>
            {
                ranOn = Environment.CurrentManagedThreadId;
                unit.Db.UsageRecords.Add(Usage(workspaceId));
                return Task.FromResult(7);
            },
            CancellationToken.None);

        write.IsCompletedSuccessfully.Should().BeTrue("a write that finds the writer free is the writer: nothing is handed to another thread and back");
        ranOn.Should().Be(caller);
        commits.Count.Should().Be(1);
        (await write).Should().Be(7);
        (await UsageRowsAsync(workspaceId)).Should().Be(1);
    }

    [SkippableFact]
    public async Task CallerWhoFoundTheWriterFree_HasItsAnswer_BeforeTheWritesQueuedBehindItRun()
    {
        var commits = new CommitSpy();
        await using var services = Services(commits);
        var writer = services.GetRequiredService<IGroupCommit>();
        var workspaceId = NewWorkspace();
        var free = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int>? behind = null;

        // While the first write runs (on SQLite, as the writer), a second one comes and cannot start before
        // it is released.
        var first = await writer.WriteAsync(
            (unit, _) =>
            {
                behind = writer.WriteAsync(
                    async (inner, _) =>
                    {
                        await free.Task;
                        inner.Db.UsageRecords.Add(Usage(workspaceId));
                        return 2;
                    },
                    CancellationToken.None);
                unit.Db.UsageRecords.Add(Usage(workspaceId));
                return Task.FromResult(1);
            },
            CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        first.Should().Be(1);
        (await UsageRowsAsync(workspaceId)).Should().Be(1, "the first write committed on its own");
        behind!.IsCompleted.Should().BeFalse("the write behind it is still held");

        free.SetResult();
        (await behind.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(2, "the writes queued behind it are written after it, without it");
        (await UsageRowsAsync(workspaceId)).Should().Be(2);
    }

    [SkippableFact]
    public async Task CrashBeforeTheCommit_LosesNothingAcknowledged_AndAcknowledgesNothingLost()
    {
        var commits = new CommitSpy();
        await using var services = Services(commits);
        var writer = services.GetRequiredService<IGroupCommit>();
        var workspaceId = NewWorkspace();
        for (var i = 0; i < 3; i++)
        {
            await writer.WriteAsync(WriteUsage(workspaceId), CancellationToken.None);
        }

        // From here the database never sees a commit: the process "dies" between the writes and their commit.
        commits.Crash = true;
        var lost = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            try
            {
                await writer.WriteAsync(WriteUsage(workspaceId), CancellationToken.None);
                return false;
            }
            catch (InvalidOperationException exception) when (exception.Message == CommitSpy.CrashMessage)
            {
                return true;
            }
        }));

        lost.Should().OnlyContain(failed => failed, "no caller is answered before its commit");
        (await UsageRowsAsync(workspaceId)).Should().Be(3, "the three acknowledged writes are stored, none of the lost ones");

        commits.Crash = false;
        await writer.WriteAsync(WriteUsage(workspaceId), CancellationToken.None);
        (await UsageRowsAsync(workspaceId)).Should().Be(4, "the writer goes on after a failed batch");
    }

    [SkippableFact]
    public async Task Batches_ShareOneContext_UntilOneFails_AndTheNextStartsOnAFreshOne()
    {
        var commits = new CommitSpy();
        await using var services = Services(commits);
        var writer = services.GetRequiredService<IGroupCommit>();
        var workspaceId = NewWorkspace();
        Func<IWriteUnit, CancellationToken, Task<IApplicationDbContext>> Write(bool tracked) => (unit, _) =>
        {
            if (tracked)
            {
                unit.Db.UsageRecords.Add(Usage(workspaceId));
            }

            return Task.FromResult(unit.Db);
        };

        var first = await writer.WriteAsync(Write(tracked: true), CancellationToken.None);
        var second = await writer.WriteAsync(Write(tracked: false), CancellationToken.None);
        if (Fixture.Options.Provider == DatabaseProvider.Sqlite)
        {
            ((DevanaDbContext)second).ChangeTracker.Entries().Should().BeEmpty("a batch's entities leave the context with it");
        }

        commits.Crash = true;
        await writer.Invoking(w => w.WriteAsync(Write(tracked: true), CancellationToken.None)).Should().ThrowAsync<InvalidOperationException>();
        commits.Crash = false;
        var afterFailure = await writer.WriteAsync(Write(tracked: true), CancellationToken.None);

        (await UsageRowsAsync(workspaceId)).Should().Be(2);
        if (Fixture.Options.Provider == DatabaseProvider.Sqlite)
        {
            second.Should().BeSameAs(first, "on SQLite batches never overlap, so they run in one context");
            afterFailure.Should().NotBeSameAs(first, "a batch that failed takes its context with it");
        }
        else
        {
            second.Should().NotBeSameAs(first, "on a server database each write has a context of its own");
        }
    }

    [SkippableFact]
    public async Task Disposed_FinishesWhatItHolds_ThenRefusesNewWrites()
    {
        var commits = new CommitSpy();
        await using var services = Services(commits);
        var writer = (GroupCommitWriter)services.GetRequiredService<IGroupCommit>();
        var workspaceId = NewWorkspace();

        var free = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = writer.WriteAsync(async (unit, _) => { await free.Task; unit.Db.UsageRecords.Add(Usage(workspaceId)); return true; }, CancellationToken.None);
        var queued = writer.WriteAsync(WriteUsage(workspaceId), CancellationToken.None);
        var disposing = writer.DisposeAsync().AsTask();
        free.SetResult();
        await disposing;

        (await running).Should().BeTrue("a write that was running when the host stopped is still committed");
        (await queued).Should().BeTrue("so is one that was queued");
        await writer.Invoking(w => w.WriteAsync(WriteUsage(workspaceId), CancellationToken.None)).Should().ThrowAsync<ObjectDisposedException>();
        (await UsageRowsAsync(workspaceId)).Should().Be(2);
    }

    [SkippableFact]
    public async Task TwoHosts_OnOneDatabase_ReserveExactly_WhileBatchesAreInFlight()
    {
        await using var one = Services(new CommitSpy());
        // The second host as another process has it: on SQLite, a connection string of its own gives it a
        // write gate of its own, so its batches meet the first host's only in the database's own lock.
        await using var two = Services(new CommitSpy(), Fixture.Options.Provider == DatabaseProvider.Sqlite ? ";Default Timeout=31" : string.Empty);
        var policy = QuotaPolicy.ForCompletion(NewWorkspace(), QuotaLimits.None, "usr_alice", QuotaLimits.Create(0, 10, 0, 0), "support", null);

        var admitted = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            var writer = (i % 2 == 0 ? one : two).GetRequiredService<IGroupCommit>();
            try
            {
                await writer.WriteAsync((unit, token) => unit.Get<QuotaGate>().ReserveAsync(policy, 25, null, token), CancellationToken.None);
                return true;
            }
            catch (QuotaExceededException)
            {
                return false;
            }
        })));

        admitted.Count(a => a).Should().Be(10);
        await using var scope = Fixture.CreateScope();
        var charges = policy.Reserve(25, Now);
        var used = await new EfQuotaCounterStore(scope.ServiceProvider.GetRequiredService<DevanaDbContext>()).GetUsedAsync(charges, CancellationToken.None);
        used[charges.ToList().FindIndex(c => c.Level == QuotaLevel.Principal && c.Kind == QuotaLimitKind.RequestsPerDay)].Should().Be(10);
        used[charges.ToList().FindIndex(c => c.Level == QuotaLevel.Workspace && c.Kind == QuotaLimitKind.TokensPerDay)].Should().Be(250, "refused reservations left nothing on any counter");
    }

    [SkippableFact]
    public async Task TwoHosts_WritingTwoWorkspacesInOppositeOrders_BothCommit_WithoutADeadlock()
    {
        await using var one = Services(new CommitSpy());
        Skip.If(Fixture.Options.Provider == DatabaseProvider.Sqlite, "SQLite has one writer at a time: no two transactions hold row locks at once, so there is no lock order to get wrong.");
        await using var two = Services(new CommitSpy());
        var (x, y) = (NewWorkspace(), NewWorkspace());
        QuotaPolicy Policy(string workspaceId) => QuotaPolicy.ForCompletion(workspaceId, QuotaLimits.None, "usr_alice", null, "support", null);

        // Host one writes workspace x, then y; host two writes y, then x. The first write of each holds its
        // workspace's counters until both hosts hold theirs. Had a host put both of its writes in one
        // transaction, each would then wait for the other's row locks: a deadlock, and a refused request.
        var holding = new[] { new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var bothHold = Task.WhenAll(holding.Select(h => h.Task));
        Task<bool>[] Writes(ServiceProvider host, int index, string first, string second)
        {
            var writer = host.GetRequiredService<IGroupCommit>();

            // The writer is held busy for a moment, so that the two writes queue together behind it.
            var free = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var busy = writer.WriteAsync(async (_, _) => { await free.Task; return true; }, CancellationToken.None);
            var firstWrite = writer.WriteAsync(
                async (unit, token) =>
                {
                    await unit.Get<QuotaGate>().ReserveAsync(Policy(first), 25, null, token);
                    holding[index].TrySetResult();
                    await bothHold.WaitAsync(TimeSpan.FromSeconds(30), token);
                    return true;
                },
                CancellationToken.None);
            var secondWrite = writer.WriteAsync(async (unit, token) => { await unit.Get<QuotaGate>().ReserveAsync(Policy(second), 25, null, token); return true; }, CancellationToken.None);
            free.SetResult();
            return [busy, firstWrite, secondWrite];
        }

        var writes = Writes(one, 0, x, y).Concat(Writes(two, 1, y, x)).ToList();
        await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(60));

        await using var scope = Fixture.CreateScope();
        var store = new EfQuotaCounterStore(scope.ServiceProvider.GetRequiredService<DevanaDbContext>());
        foreach (var workspaceId in new[] { x, y })
        {
            var charges = Policy(workspaceId).Reserve(25, Now);
            var used = await store.GetUsedAsync(charges, CancellationToken.None);
            used[charges.ToList().FindIndex(c => c.Level == QuotaLevel.Workspace && c.Kind == QuotaLimitKind.RequestsPerDay)].Should().Be(2, "both hosts' reservations on {0} committed", workspaceId);
        }
    }

    private static string NewWorkspace() => "ws_" + Guid.NewGuid().ToString("N");

    private static UsageRecord Usage(string workspaceId) =>
        UsageRecord.Record(workspaceId, "usr_alice", "support", "echo", "conv_x", 100, 20, 5, UsageOutcome.Completed, Now);

    private static Func<IWriteUnit, CancellationToken, Task<bool>> WriteUsage(string workspaceId) => (unit, _) =>
    {
        unit.Db.UsageRecords.Add(Usage(workspaceId));
        return Task.FromResult(true);
    };

    /// <summary>A host's services with the writer and the quota gate, on the fixture's database.</summary>
    private ServiceProvider Services(CommitSpy commits, string connectionSuffix = "")
    {
        using (Fixture.CreateScope())
        {
            // Skips here where the database cannot run.
        }

        var options = Fixture.Options with { ConnectionString = Fixture.Options.ConnectionString + connectionSuffix };
        return new ServiceCollection()
            .AddLogging()
            .AddPersistence(options, builder => builder.AddInterceptors(commits))
            .AddSingleton<ILogger<QuotaGate>>(NullLogger<QuotaGate>.Instance)
            .AddSingleton(QuotaSettings.Unlimited)
            .AddSingleton(new LiveQuotaHolds())
            .AddSingleton(Metrics)
            .AddSingleton<TimeProvider>(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now))
            .AddSingleton<ISettingsCache>(new NoSettingsCache())
            .AddScoped<IQuotaCounterStore, EfQuotaCounterStore>()
            .AddScoped<QuotaGate>()
            .BuildServiceProvider();
    }

    private async Task<int> UsageRowsAsync(string workspaceId)
    {
        await using var scope = Fixture.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<DevanaDbContext>().UsageRecords.CountAsync(u => u.WorkspaceId == workspaceId);
    }

    /// <summary>Counts commits; when <see cref="Crash"/> is set, no commit reaches the database.</summary>
    private sealed class CommitSpy : DbTransactionInterceptor
    {
        public const string CrashMessage = "The process died before the commit.";
        private int _count;

        public int Count => _count;

        public volatile bool Crash;

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
            Crash ? throw new InvalidOperationException(CrashMessage) : ValueTask.FromResult(result);

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return Task.CompletedTask;
        }
    }

    private sealed class NoSettingsCache : ISettingsCache
    {
        public Task<T> GetOrLoadAsync<T>(string key, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
            where T : class => load(cancellationToken);
    }
}

public sealed class SqliteGroupCommitWriterTests(SqliteDatabaseFixture fixture) : GroupCommitWriterTests<SqliteDatabaseFixture>(fixture);

public sealed class PostgresGroupCommitWriterTests(PostgresDatabaseFixture fixture) : GroupCommitWriterTests<PostgresDatabaseFixture>(fixture);

public sealed class SqlServerGroupCommitWriterTests(SqlServerDatabaseFixture fixture) : GroupCommitWriterTests<SqlServerDatabaseFixture>(fixture);
