using Devana.Domain.Quotas;

namespace Devana.Application.Quotas.Common;

/// <summary>
/// The usage counters, in the shared database so that every host of the service sees the same ones.
/// Implementations change them only with atomic conditional updates: the limits hold exactly under
/// concurrency and across hosts. Database failures surface as
/// <see cref="Application.Common.Exceptions.ServiceUnavailableException"/> (503), never as an unmetered request.
/// </summary>
public interface IQuotaCounterStore
{
    /// <summary>
    /// Adds every charge to its counter if each one fits (<see cref="QuotaCharge.FitsWithin"/>) at that
    /// moment, all of them in one transaction: either every counter moves or none does. Missing counters
    /// are created at zero first.
    /// </summary>
    /// <returns>No breach and each counter after the request; or the first charge that did not fit, with nothing changed.</returns>
    Task<QuotaReservationResult> TryReserveAsync(IReadOnlyList<QuotaCharge> charges, CancellationToken cancellationToken);

    /// <summary>Adds each amount (negative for a refund) whatever the limit, in one transaction; a counter never goes below zero.</summary>
    Task AdjustAsync(IReadOnlyList<QuotaCharge> adjustments, CancellationToken cancellationToken);

    /// <summary>Each charge's counter as it is, in order (0 where none exists yet); nothing changes.</summary>
    Task<IReadOnlyList<long>> GetUsedAsync(IReadOnlyList<QuotaCharge> charges, CancellationToken cancellationToken);
}

/// <param name="Breach">Null when the request was admitted.</param>
/// <param name="UsedAfter">Admitted: each charge's counter once the request is counted, in order. Refused: empty.</param>
public sealed record QuotaReservationResult(QuotaBreach? Breach, IReadOnlyList<long> UsedAfter)
{
    public static QuotaReservationResult Admitted(IReadOnlyList<long> usedAfter) => new(null, usedAfter);

    public static QuotaReservationResult Refused(QuotaBreach breach) => new(breach, []);
}
