using System.Diagnostics.Metrics;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Telemetry;
using Devana.Application.Completions.CreateCompletion;
using Devana.Application.Quotas.Common;
using Devana.Domain.Conversations;
using Devana.Domain.Quotas;
using Devana.Domain.Usage;
using Devana.Infrastructure.IntegrationTests.Persistence;
using Devana.Infrastructure.Persistence;
using Devana.Infrastructure.Quotas;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Devana.Infrastructure.IntegrationTests.Quotas;

/// <summary>
/// Reservation holds on a real database: taken with the user turn, renewed by their instance, removed
/// when they settle, and settled by any instance once expired (the turn failed, the ledger written, the
/// counters corrected to the tokens last reported) — exactly once, whoever races for it. Time is a fake
/// clock: expiry is E = 30 s of it, nothing sleeps.
/// </summary>
public abstract class QuotaHoldsOnDatabaseTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>, IAsyncLifetime
    where TFixture : DatabaseFixture
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 30, TimeSpan.Zero);
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);
    private static readonly QuotaSettings Settings = QuotaSettings.Unlimited with { HoldExpiry = Expiry };
    private static readonly DevanaMetrics Metrics = new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly LiveQuotaHolds _owner = new();
    private readonly LiveQuotaHolds _other = new();

    protected TFixture Fixture { get; } = fixture;

    /// <summary>The tests share the fixture's database: each starts with no hold of an earlier test left to expire.</summary>
    public async Task InitializeAsync()
    {
        if (Fixture.SkipReason is null)
        {
            await ExecuteAsync("DELETE FROM quota_holds;");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task Reserve_ForATurn_StoresItsHold_ExpiringAfterE_AndRenewsIt()
    {
        var workspaceId = NewWorkspace();

        var turn = await StartTurnAsync(workspaceId, reserve: 300, prompt: 40);

        var hold = await HoldAsync(turn.Reservation);
        hold.Should().NotBeNull();
        hold!.ExpiresAt.Should().Be(Now + Expiry);
        hold.InstanceId.Should().Be(_owner.InstanceId);
        hold.MessageId.Should().Be(turn.MessageId);
        hold.PromptTokens.Should().Be(40);
        hold.TokenCharges.Should().HaveCount(6, "three levels × tokens per day and per month")
            .And.OnlyContain(c => c.Amount == 300 && c.Metric == QuotaMetric.Tokens);
        _owner.IsLive(hold.Id).Should().BeTrue();
        (await TokensUsedAsync(workspaceId)).Should().Be(300);
    }

    [SkippableFact]
    public async Task TheHoldsCharges_AreStoredAsTheJsonEarlierBuildsWrote_AndReadBack()
    {
        // A hold outlives the process that wrote it: another instance, or the next build, settles it once expired.
        var workspaceId = NewWorkspace();
        var turn = await StartTurnAsync(workspaceId, reserve: 300, prompt: 40);
        var hold = await HoldAsync(turn.Reservation);

        string stored;
        await using (var scope = Fixture.CreateScope())
        {
            stored = await Db(scope).Database
                .SqlQueryRaw<string>("SELECT token_charges AS \"Value\" FROM quota_holds WHERE id = {0}", hold!.Id)
                .SingleAsync();
        }

        // What reflection-based System.Text.Json, with its default options, made of the stored record.
        var expected = System.Text.Json.JsonSerializer.Serialize(hold.TokenCharges.Select(c => new
        {
            c.Key.WorkspaceId,
            Level = QuotaCounter.LevelName(c.Level),
            c.Key.SubjectId,
            Kind = c.Kind.WireName(),
            WindowStart = c.Key.WindowStart.ToUnixTimeSeconds(),
            ResetsAt = c.ResetsAt.ToUnixTimeSeconds(),
            c.Limit,
            c.Amount,
        }));
        stored.Should().Be(expected);
        hold.TokenCharges.Should().Equal(turn.Reservation.Charges.Where(c => c.Metric == QuotaMetric.Tokens), "the charges read back are the ones reserved");
    }

    [SkippableFact]
    public async Task WriteAndSettle_RemovesTheHold_AndStopsRenewingIt()
    {
        var workspaceId = NewWorkspace();
        var turn = await StartTurnAsync(workspaceId, reserve: 300, prompt: 40);

        await using (var services = WriterServices(_owner))
        {
            await Writes(services).RecordAsync(turn.Reservation, 120, (unit, token) => WriteUsageAsync(unit, workspaceId, token));
        }

        (await HoldAsync(turn.Reservation)).Should().BeNull();
        _owner.Count.Should().Be(0);
        (await TokensUsedAsync(workspaceId)).Should().Be(120);
        (await UsageAsync(workspaceId)).Should().ContainSingle().Which.Outcome.Should().Be(UsageOutcome.Completed);
    }

    [SkippableFact]
    public async Task Renew_PushesTheExpiry_AndStoresTheTokensWrittenSoFar()
    {
        var workspaceId = NewWorkspace();
        var turn = await StartTurnAsync(workspaceId, reserve: 300, prompt: 40);
        turn.Reservation.Hold!.AddCompletionTokens(25);
        _clock.Advance(Settings.HoldRenewal);

        var renewed = await WithKeeperAsync(_owner, keeper => keeper.RenewAsync(CancellationToken.None));

        renewed.Should().Be(1);
        var hold = await HoldAsync(turn.Reservation);
        hold!.ExpiresAt.Should().Be(Now + Settings.HoldRenewal + Expiry);
        hold.CompletionTokens.Should().Be(25);
    }

    [SkippableFact]
    public async Task SettleExpired_WhenTheOwnerStoppedRenewing_FailsTheTurn_WritesTheLedger_AndGivesBackTheRest()
    {
        var workspaceId = NewWorkspace();
        var turn = await StartTurnAsync(workspaceId, reserve: 300, prompt: 40);
        turn.Reservation.Hold!.AddCompletionTokens(25);
        await WithKeeperAsync(_owner, keeper => keeper.RenewAsync(CancellationToken.None));

        // The owner dies: nobody renews its hold. Another instance finds it once it has expired.
        _clock.Advance(Expiry);
        var settled = await WithKeeperAsync(_other, keeper => keeper.SettleExpiredAsync(CancellationToken.None));

        settled.Should().Be(1);
        (await HoldAsync(turn.Reservation)).Should().BeNull();
        var message = await MessageAsync(turn.MessageId);
        message.Status.Should().Be(MessageStatus.Failed);
        message.Error.Should().Be(QuotaHoldKeeper.FailedTurnReason);
        var usage = (await UsageAsync(workspaceId)).Should().ContainSingle().Subject;
        usage.Outcome.Should().Be(UsageOutcome.Failed);
        (usage.PromptTokens, usage.CompletionTokens, usage.EndUser).Should().Be((40L, 25L, "end-user-7"));
        (await TokensUsedAsync(workspaceId)).Should().Be(65, "the 300 reserved were settled to the 40 + 25 last reported");
    }

    [SkippableFact]
    public async Task SettleExpired_LeavesHoldsThatHaveNotExpired()
    {
        var workspaceId = NewWorkspace();
        var turn = await StartTurnAsync(workspaceId, reserve: 300, prompt: 40);
        _clock.Advance(Expiry - TimeSpan.FromSeconds(1));

        var settled = await WithKeeperAsync(_other, keeper => keeper.SettleExpiredAsync(CancellationToken.None));

        settled.Should().Be(0);
        (await HoldAsync(turn.Reservation)).Should().NotBeNull();
        (await MessageAsync(turn.MessageId)).Status.Should().Be(MessageStatus.Pending);
        (await TokensUsedAsync(workspaceId)).Should().Be(300);
    }

    [SkippableFact]
    public async Task SettleExpired_ByTwoInstancesAtOnce_SettlesEachHoldOnce()
    {
        var workspaceId = NewWorkspace();
        await StartTurnAsync(workspaceId, reserve: 300, prompt: 40);
        await StartTurnAsync(workspaceId, reserve: 300, prompt: 10);
        _clock.Advance(Expiry);

        var settled = await Task.WhenAll(
            Task.Run(() => WithKeeperAsync(_other, keeper => keeper.SettleExpiredAsync(CancellationToken.None))),
            Task.Run(() => WithKeeperAsync(new LiveQuotaHolds(), keeper => keeper.SettleExpiredAsync(CancellationToken.None))));

        settled.Sum().Should().Be(2);
        (await UsageAsync(workspaceId)).Should().HaveCount(2).And.OnlyContain(u => u.Outcome == UsageOutcome.Failed);
        (await TokensUsedAsync(workspaceId)).Should().Be(50, "each hold was settled once, to its prompt");
    }

    [SkippableFact]
    public async Task WriteAndSettle_AfterAnotherInstanceSettledTheHold_StoresNothing_AndThrows503()
    {
        var workspaceId = NewWorkspace();
        var turn = await StartTurnAsync(workspaceId, reserve: 300, prompt: 40);
        _clock.Advance(Expiry);
        await WithKeeperAsync(_other, keeper => keeper.SettleExpiredAsync(CancellationToken.None));

        await using (var services = WriterServices(_owner))
        {
            var settle = () => Writes(services).RecordAsync(turn.Reservation, 120, (unit, token) => WriteUsageAsync(unit, workspaceId, token));
            (await settle.Should().ThrowAsync<ServiceUnavailableException>()).Which.Message.Should().Contain("Send the turn again");
        }

        (await UsageAsync(workspaceId)).Should().ContainSingle("only the settlement of the expired hold is in the ledger")
            .Which.Outcome.Should().Be(UsageOutcome.Failed);
        (await TokensUsedAsync(workspaceId)).Should().Be(40, "the turn is not settled twice");
    }

    [SkippableFact]
    public async Task WriteAndSettle_WhenTheWriteFails_RemovesTheHoldAndSettlesAlone()
    {
        var workspaceId = NewWorkspace();
        var turn = await StartTurnAsync(workspaceId, reserve: 300, prompt: 40);

        await using (var services = WriterServices(_owner))
        {
            var settle = () => Writes(services).RecordAsync(turn.Reservation, 120, (unit, token) => ((DevanaDbContext)unit.Db).Database.ExecuteSqlRawAsync("INSERT INTO no_such_table (id) VALUES (1);", token));
            await settle.Should().ThrowAsync<Exception>();
        }

        (await HoldAsync(turn.Reservation)).Should().BeNull("the hold went with the settlement made alone");
        (await TokensUsedAsync(workspaceId)).Should().Be(120);
    }

    [SkippableFact]
    public async Task Janitor_RenewsThisInstancesHolds_BeforeSettlingExpiredOnes()
    {
        var workspaceId = NewWorkspace();
        var live = await StartTurnAsync(workspaceId, reserve: 300, prompt: 40);
        var dead = await StartTurnAsync(workspaceId, reserve: 300, prompt: 10, owner: _other);
        _clock.Advance(Expiry);
        await using var services = JanitorServices(_owner);
        var janitor = Janitor(services, NullLogger<QuotaCounterJanitor>.Instance);

        await janitor.KeepHoldsOnceAsync(CancellationToken.None);

        (await HoldAsync(live.Reservation))!.ExpiresAt.Should().Be(Now + Expiry + Expiry, "this instance renewed its own hold");
        (await HoldAsync(dead.Reservation)).Should().BeNull("the other instance's hold had expired");
        (await MessageAsync(dead.MessageId)).Status.Should().Be(MessageStatus.Failed);
        (await MessageAsync(live.MessageId)).Status.Should().Be(MessageStatus.Pending);
    }

    [SkippableFact]
    public async Task Janitor_WhenTheDatabaseFails_LogsWarnings_AndDoesNotThrow()
    {
        await StartTurnAsync(NewWorkspace(), reserve: 300, prompt: 40);
        await using var services = JanitorServices(_owner);
        var logger = new ListLogger<QuotaCounterJanitor>();

        await ExecuteAsync(Rename("quota_holds", "quota_holds_away"));
        try
        {
            await Janitor(services, logger).KeepHoldsOnceAsync(CancellationToken.None);
        }
        finally
        {
            await ExecuteAsync(Rename("quota_holds_away", "quota_holds"));
        }

        logger.Warnings.Should().HaveCount(2);
        logger.Warnings[0].Should().Contain("Could not renew");
        logger.Warnings[1].Should().Contain("Could not look for expired");
    }

    private static string NewWorkspace() => "ws_" + Guid.NewGuid().ToString("N");

    private static DevanaDbContext Db(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<DevanaDbContext>();

    private QuotaGate Gate(DevanaDbContext db, LiveQuotaHolds live) =>
        new(db, new EfQuotaCounterStore(db), Settings, new NoSettingsCache(), live, Metrics, _clock, NullLogger<QuotaGate>.Instance);

    private async Task<T> WithKeeperAsync<T>(LiveQuotaHolds live, Func<QuotaHoldKeeper, Task<T>> act)
    {
        await using var scope = Fixture.CreateScope();
        var db = Db(scope);
        return await act(new QuotaHoldKeeper(db, new EfQuotaCounterStore(db), live, Settings, _clock, NullLogger<QuotaHoldKeeper>.Instance));
    }

    /// <summary>A conversation with a pending user turn, its reservation and hold stored in one transaction, as the completion handler does.</summary>
    private async Task<(QuotaReservation Reservation, string MessageId)> StartTurnAsync(string workspaceId, long reserve, long prompt, LiveQuotaHolds? owner = null)
    {
        owner ??= _owner;
        await using var scope = Fixture.CreateScope();
        var db = Db(scope);
        var now = _clock.GetUtcNow();
        var conversation = Conversation.Start(workspaceId, "usr_alice", "support", null, now);
        db.Conversations.Add(conversation);
        var turn = conversation.AddTurns([(MessageRole.User, "hello")], "echo", [], now);
        var gate = Gate(db, owner);
        var subject = new QuotaHoldSubject(workspaceId, "usr_alice", "support", "echo", conversation.Id, turn.Id, "end-user-7", prompt);
        var policy = QuotaPolicy.ForCompletion(workspaceId, QuotaLimits.None, "usr_alice", null, "support", null);
        var reservation = await db.InTransactionAsync(async token =>
        {
            var reserved = await gate.ReserveAsync(policy, reserve, subject, token);
            await db.SaveChangesAsync(token);
            return reserved;
        }, CancellationToken.None);
        owner.StartRenewing(reservation);
        return (reservation, turn.Id);
    }

    private async Task<QuotaHold?> HoldAsync(QuotaReservation reservation)
    {
        await using var scope = Fixture.CreateScope();
        return await Db(scope).QuotaHolds.AsNoTracking().SingleOrDefaultAsync(h => h.Id == reservation.Hold!.Id);
    }

    private async Task<Message> MessageAsync(string messageId)
    {
        await using var scope = Fixture.CreateScope();
        return await Db(scope).Messages.AsNoTracking().SingleAsync(m => m.Id == messageId);
    }

    private async Task<List<UsageRecord>> UsageAsync(string workspaceId)
    {
        await using var scope = Fixture.CreateScope();
        return await Db(scope).UsageRecords.AsNoTracking().Where(u => u.WorkspaceId == workspaceId).ToListAsync();
    }

    /// <summary>The workspace's tokens-per-day counter of today's window.</summary>
    private async Task<long> TokensUsedAsync(string workspaceId)
    {
        await using var scope = Fixture.CreateScope();
        var day = QuotaWindow.Day.StartOf(Now).ToUnixTimeSeconds();
        return await Db(scope).Set<QuotaCounter>().AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && c.Level == "workspace" && c.Kind == "tokens_per_day" && c.WindowStart == day)
            .Select(c => c.Used)
            .SingleAsync();
    }

    private static Task WriteUsageAsync(IWriteUnit unit, string workspaceId, CancellationToken cancellationToken)
    {
        unit.Db.UsageRecords.Add(UsageRecord.Record(workspaceId, "usr_alice", "support", "echo", "conv_x", 100, 20, 5, UsageOutcome.Completed, Now));
        return unit.Db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The completion writes as the host has them: through the group-commit writer, on the fixture's database.</summary>
    private static CompletionWrites Writes(ServiceProvider services) =>
        new(services.GetRequiredService<IGroupCommit>(), services.GetRequiredService<LiveQuotaHolds>());

    private ServiceProvider WriterServices(LiveQuotaHolds live)
    {
        using (Fixture.CreateScope())
        {
            // Skips here where the database cannot run.
        }

        return new ServiceCollection()
            .AddLogging()
            .AddPersistence(Fixture.Options)
            .AddSingleton(live)
            .AddSingleton(Settings)
            .AddSingleton(Metrics)
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton<ISettingsCache>(new NoSettingsCache())
            .AddScoped<IQuotaCounterStore, EfQuotaCounterStore>()
            .AddScoped<QuotaGate>()
            .BuildServiceProvider();
    }

    private ServiceProvider JanitorServices(LiveQuotaHolds live)
    {
        using (Fixture.CreateScope())
        {
            // Skips here where the database cannot run.
        }

        return new ServiceCollection()
            .AddLogging()
            .AddPersistence(Fixture.Options)
            .AddSingleton(live)
            .AddSingleton(Settings)
            .AddSingleton<TimeProvider>(_clock)
            .AddScoped<EfQuotaCounterStore>()
            .AddScoped<IQuotaCounterStore>(provider => provider.GetRequiredService<EfQuotaCounterStore>())
            .AddScoped<IApplicationDbContext>(provider => provider.GetRequiredService<DevanaDbContext>())
            .AddScoped<QuotaHoldKeeper>()
            .BuildServiceProvider();
    }

    private QuotaCounterJanitor Janitor(ServiceProvider services, ILogger<QuotaCounterJanitor> logger) =>
        new(services.GetRequiredService<IServiceScopeFactory>(), Settings, new RunningHost(), _clock, logger);

    private string Rename(string from, string to) => Fixture.Options.Provider == DatabaseProvider.SqlServer
        ? $"EXEC sp_rename '{from}', '{to}';"
        : $"ALTER TABLE {from} RENAME TO {to};";

    private async Task ExecuteAsync(string sql)
    {
        await using var scope = Fixture.CreateScope();
        await Db(scope).Database.ExecuteSqlRawAsync(sql);
    }

    private sealed class NoSettingsCache : ISettingsCache
    {
        public Task<T> GetOrLoadAsync<T>(string key, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
            where T : class => load(cancellationToken);
    }
}

/// <summary>A host that is running: the janitor's passes are called directly.</summary>
internal sealed class RunningHost : IHostApplicationLifetime
{
    public CancellationToken ApplicationStarted => new(true);

    public CancellationToken ApplicationStopping => CancellationToken.None;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public void StopApplication()
    {
    }
}

public sealed class SqliteQuotaHoldsOnDatabaseTests(SqliteDatabaseFixture fixture) : QuotaHoldsOnDatabaseTests<SqliteDatabaseFixture>(fixture);

public sealed class PostgresQuotaHoldsOnDatabaseTests(PostgresDatabaseFixture fixture) : QuotaHoldsOnDatabaseTests<PostgresDatabaseFixture>(fixture);

public sealed class SqlServerQuotaHoldsOnDatabaseTests(SqlServerDatabaseFixture fixture) : QuotaHoldsOnDatabaseTests<SqlServerDatabaseFixture>(fixture);
