using System.Diagnostics.Metrics;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Telemetry;
using Devana.Application.Quotas.Common;
using Devana.Application.UnitTests.Common;
using Devana.Domain.Quotas;
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

    private Task Write(CancellationToken cancellationToken)
    {
        _events.Add("write");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task WriteAndSettle_WritesAndAdjustsTheTokenCounters_InOneTransaction()
    {
        await Gate().WriteAndSettleAsync(Reservation(100), 40, Write);

        _events.Should().Equal("begin", "write", "adjust", "commit");
        await _store.Received(1).AdjustAsync(Arg.Is<IReadOnlyList<QuotaCharge>>(a => a.Count == 6 && a.All(c => c.Amount == -60 && c.Metric == QuotaMetric.Tokens)), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task WriteAndSettle_Twice_SettlesOnce_ButWritesBothTimes()
    {
        var reservation = Reservation(100);
        var gate = Gate();

        await gate.WriteAndSettleAsync(reservation, 40, Write);
        await gate.WriteAndSettleAsync(reservation, 40, Write);

        _events.Should().Equal("begin", "write", "adjust", "commit", "write");
    }

    [Fact]
    public async Task WriteAndSettle_WithWhatWasReserved_OnlyWrites()
    {
        await Gate().WriteAndSettleAsync(Reservation(100), 100, Write);

        _events.Should().Equal("write");
        await _store.DidNotReceiveWithAnyArgs().AdjustAsync(default!, default);
    }

    [Fact]
    public async Task WriteAndSettle_WhenTheSettlementFails_KeepsTheWrite_AndDoesNotThrow()
    {
        _store.AdjustAsync(Arg.Any<IReadOnlyList<QuotaCharge>>(), Arg.Any<CancellationToken>()).ThrowsAsync(new InvalidOperationException("database down"));

        var settle = () => Gate().WriteAndSettleAsync(Reservation(100), 0, Write);

        await settle.Should().NotThrowAsync("the answer is stored; the reservation stays counted");
        _events.Should().Equal("begin", "write", "commit");
    }

    [Fact]
    public async Task WriteAndSettle_WhenTheWriteFails_SettlesAlone_AndThrows()
    {
        var settle = () => Gate().WriteAndSettleAsync(Reservation(100), 0, _ =>
        {
            _events.Add("write fails");
            throw new InvalidOperationException("disk full");
        });

        await settle.Should().ThrowAsync<InvalidOperationException>().WithMessage("disk full");
        _events.Should().Equal("begin", "write fails", "adjust");
    }
}
