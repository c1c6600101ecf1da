using System.Diagnostics.Metrics;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Telemetry;
using Devana.Application.Completions.CreateCompletion;
using Devana.Application.Quotas.Common;
using Devana.Application.UnitTests.Common;
using Devana.Domain.Quotas;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Devana.Application.UnitTests.Quotas;

public sealed class QuotaGateTests
{
    private readonly IQuotaCounterStore _store = Substitute.For<IQuotaCounterStore>();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    private readonly IApplicationDbContext _db = Substitute.For<IApplicationDbContext>();
    private readonly List<string> _events = [];

    public QuotaGateTests()
    {
        // The transaction runs its work and records where it begins and ends, like the real one.
        _db.InTransactionAsync(Arg.Any<Func<CancellationToken, Task<bool>>>(), Arg.Any<CancellationToken>())
            .Returns(async call =>
            {
                _events.Add("begin");
                var result = await call.Arg<Func<CancellationToken, Task<bool>>>()(CancellationToken.None);
                _events.Add("commit");
                return result;
            });
        _store.AdjustAsync(Arg.Any<IReadOnlyList<QuotaCharge>>(), Arg.Any<CancellationToken>())
            .Returns(_ =>
            {
                _events.Add("adjust");
                return Task.CompletedTask;
            });
    }

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private QuotaGate Gate() => new(_db, _store, QuotaSettings.Unlimited, new PassThroughSettingsCache(), new LiveQuotaHolds(), new DevanaMetrics(_services.GetRequiredService<IMeterFactory>()), _clock, NullLogger<QuotaGate>.Instance);

    [Fact]
    public async Task ReserveAsync_WhenALimitRefuses_CountsTheRefusalByLevelAndLimit_AndCountsNothingWhenAdmitted()
    {
        using var refusals = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), DevanaMetrics.MeterName, "devana.quota.refusals");
        var policy = QuotaPolicy.ForCompletion("ws_a", QuotaLimits.None, "usr_a", QuotaLimits.Create(0, 10, 0, 0), "agent", null);
        var refusing = policy.Reserve(100, _clock.GetUtcNow()).Single(c => c.Level == QuotaLevel.Principal && c.Kind == QuotaLimitKind.RequestsPerDay);
        _store.TryReserveAsync(Arg.Any<IReadOnlyList<QuotaCharge>>(), Arg.Any<CancellationToken>())
            .Returns(QuotaReservationResult.Admitted([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), QuotaReservationResult.Refused(new QuotaBreach(refusing, 10)));

        await Gate().ReserveAsync(policy, 100, null, CancellationToken.None);
        refusals.GetMeasurementSnapshot().Should().BeEmpty();
        var refuse = () => Gate().ReserveAsync(policy, 100, null, CancellationToken.None);

        await refuse.Should().ThrowAsync<QuotaExceededException>();
        var refusal = refusals.GetMeasurementSnapshot().Should().ContainSingle().Subject;
        refusal.Value.Should().Be(1);
        refusal.Tags.Should().Equal(new Dictionary<string, object?> { ["level"] = "principal", ["limit"] = "requests_per_day" });
    }

    private QuotaReservation Reservation(long tokens) =>
        new(QuotaPolicy.ForCompletion("ws_a", QuotaLimits.None, "usr_a", null, "agent", null).Reserve(tokens, _clock.GetUtcNow()), RateLimitSnapshot.None);

    private Task Write(IWriteUnit unit, CancellationToken cancellationToken)
    {
        _events.Add("write");
        return Task.CompletedTask;
    }

    /// <summary>The completion writes over a writer that runs each write at once and records where its transaction begins and commits.</summary>
    private CompletionWrites Writes(QuotaGate gate) => new(new RecordingWriter(_events, gate, _db), new LiveQuotaHolds());

    [Fact]
    public async Task Record_WritesAndAdjustsTheTokenCounters_InOneTransaction()
    {
        var gate = Gate();
        await Writes(gate).RecordAsync(Reservation(100), 40, Write);

        _events.Should().Equal("begin", "write", "adjust", "commit");
        await _store.Received(1).AdjustAsync(Arg.Is<IReadOnlyList<QuotaCharge>>(a => a.Count == 6 && a.All(c => c.Amount == -60 && c.Metric == QuotaMetric.Tokens)), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Record_Twice_SettlesOnce_ButWritesBothTimes()
    {
        var reservation = Reservation(100);
        var writes = Writes(Gate());

        await writes.RecordAsync(reservation, 40, Write);
        await writes.RecordAsync(reservation, 40, Write);

        _events.Should().Equal("begin", "write", "adjust", "commit", "begin", "write", "commit");
    }

    [Fact]
    public async Task Record_WithWhatWasReserved_OnlyWrites()
    {
        await Writes(Gate()).RecordAsync(Reservation(100), 100, Write);

        _events.Should().Equal("begin", "write", "commit");
        await _store.DidNotReceiveWithAnyArgs().AdjustAsync(default!, default);
    }

    [Fact]
    public async Task Record_WhenTheSettlementFails_KeepsTheWrite_AndDoesNotThrow()
    {
        _store.AdjustAsync(Arg.Any<IReadOnlyList<QuotaCharge>>(), Arg.Any<CancellationToken>()).ThrowsAsync(new InvalidOperationException("database down"));

        var settle = () => Writes(Gate()).RecordAsync(Reservation(100), 0, Write);

        await settle.Should().NotThrowAsync("the answer is stored; the reservation stays counted");
        _events.Should().Equal("begin", "write", "commit");
    }

    [Fact]
    public async Task Record_WhenTheWriteFails_SettlesAlone_AndThrows()
    {
        var settle = () => Writes(Gate()).RecordAsync(Reservation(100), 0, (_, _) =>
        {
            _events.Add("write fails");
            throw new InvalidOperationException("disk full");
        });

        await settle.Should().ThrowAsync<InvalidOperationException>().WithMessage("disk full");
        _events.Should().Equal("begin", "write fails", "begin", "adjust", "commit");
    }

    /// <summary>Runs each write at once, alone: "begin", the work, then "commit" when it returns (nothing when it throws: rolled back).</summary>
    private sealed class RecordingWriter(List<string> events, QuotaGate gate, IApplicationDbContext db) : IGroupCommit, IWriteUnit
    {
        public IApplicationDbContext Db => db;

        public async Task<T> WriteAsync<T>(Func<IWriteUnit, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
        {
            events.Add("begin");
            var result = await work(this, cancellationToken);
            events.Add("commit");
            return result;
        }

        public EntityEntry<TEntity> Entry<TEntity>(TEntity entity)
            where TEntity : class => throw new NotSupportedException("These writes track no entity.");

        public T Get<T>()
            where T : notnull => gate is T service ? service : throw new NotSupportedException(typeof(T).Name);
    }
}
