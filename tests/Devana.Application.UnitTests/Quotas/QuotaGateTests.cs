using Devana.Application.Common.Interfaces;
using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Devana.Application.UnitTests.Quotas;

public sealed class QuotaGateTests
{
    private readonly IQuotaCounterStore _store = Substitute.For<IQuotaCounterStore>();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    private QuotaGate Gate() => new(Substitute.For<IApplicationDbContext>(), _store, QuotaSettings.Unlimited, _clock, NullLogger<QuotaGate>.Instance);

    private QuotaReservation Reservation(long tokens) =>
        new(QuotaPolicy.ForCompletion("ws_a", QuotaLimits.None, "usr_a", null, "agent", null).Reserve(tokens, _clock.GetUtcNow()), RateLimitSnapshot.None);

    [Fact]
    public async Task Settle_AdjustsTheTokenCountersOnce()
    {
        var reservation = Reservation(100);
        var gate = Gate();

        await gate.SettleAsync(reservation, 40);
        await gate.SettleAsync(reservation, 40);

        await _store.Received(1).AdjustAsync(Arg.Is<IReadOnlyList<QuotaCharge>>(a => a.Count == 6 && a.All(c => c.Amount == -60)), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Settle_WithWhatWasReserved_WritesNothing()
    {
        await Gate().SettleAsync(Reservation(100), 100);

        await _store.DidNotReceiveWithAnyArgs().AdjustAsync(default!, default);
    }

    [Fact]
    public async Task Settle_WhenTheStoreFails_DoesNotThrow()
    {
        _store.AdjustAsync(Arg.Any<IReadOnlyList<QuotaCharge>>(), Arg.Any<CancellationToken>()).ThrowsAsync(new InvalidOperationException("database down"));

        var settle = () => Gate().SettleAsync(Reservation(100), 0);

        await settle.Should().NotThrowAsync("the answer is already out; the reservation stays counted");
    }
}
