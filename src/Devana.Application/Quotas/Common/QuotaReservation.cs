using Devana.Domain.Quotas;

namespace Devana.Application.Quotas.Common;

/// <summary>
/// What an admitted completion holds on the counters until it settles: the charges it made, the headers
/// to answer with and, when it was reserved for a user turn, its hold (renewed while it runs, so that
/// another instance settles it if this one dies). It settles once (<see cref="LiveQuotaHolds.TakeSettlement"/>);
/// later calls do nothing.
/// </summary>
public sealed class QuotaReservation(IReadOnlyList<QuotaCharge> charges, RateLimitSnapshot rateLimits, LiveQuotaHold? hold = null)
{
    private int _settled;

    public IReadOnlyList<QuotaCharge> Charges { get; } = charges;

    public RateLimitSnapshot RateLimits { get; } = rateLimits;

    public LiveQuotaHold? Hold { get; } = hold;

    /// <summary>True the first time only.</summary>
    internal bool TryMarkSettled() => Interlocked.Exchange(ref _settled, 1) == 0;
}

/// <summary>What settling a reservation does: the counter adjustments (empty when there is nothing to give back) and the hold to remove.</summary>
public sealed record QuotaSettlement(IReadOnlyList<QuotaCharge> Adjustments, LiveQuotaHold? Hold);
