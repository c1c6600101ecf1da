using Devana.Domain.Quotas;

namespace Devana.Application.Quotas.Common;

/// <summary>
/// What an admitted completion holds on the counters until it settles: the charges it made and the
/// headers to answer with. It settles once (<see cref="QuotaGate.WriteAndSettleAsync"/>); later calls do nothing.
/// </summary>
public sealed class QuotaReservation(IReadOnlyList<QuotaCharge> charges, RateLimitSnapshot rateLimits)
{
    private int _settled;

    public IReadOnlyList<QuotaCharge> Charges { get; } = charges;

    public RateLimitSnapshot RateLimits { get; } = rateLimits;

    /// <summary>True the first time only.</summary>
    internal bool TryMarkSettled() => Interlocked.Exchange(ref _settled, 1) == 0;
}
