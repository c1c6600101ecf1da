using Devana.Application.Common.Exceptions;
using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;
using Devana.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Devana.Infrastructure.Quotas;

/// <summary>
/// The quota counters in the database. Every provider keeps the same rule — all of a request's charges
/// move in one transaction or none does, and a limited counter never goes past its limit — with the SQL
/// that suits it, in the provider's own strategy (<see cref="QuotaCounterSql"/>).
/// <para><b>SQLite</b> (one writer at a time): the reservation queues on this process's write gate for the
/// file (<see cref="SqliteDevanaDbContext"/>), opens <c>BEGIN IMMEDIATE</c> (which also waits out writers
/// of other processes sharing the file) and runs one statement: an upsert of every counter,
/// <c>INSERT … ON CONFLICT DO UPDATE SET used = used + excluded.used RETURNING …</c>. It creates missing
/// counters and adds every charge at once; the values it returns are checked against the limits, and one
/// that went over rolls the whole transaction back. No other writer can run between the upsert and the
/// rollback, so nothing is ever admitted past a limit. The settlement is one <c>UPDATE … FROM (VALUES …)</c>.</para>
/// <para><b>SQL Server and PostgreSQL</b> (row locks, many writers) share one strategy and its statements;
/// only the insert-if-absent differs (<see cref="ServerQuotaDialect"/>). Missing counters are first created
/// at zero, outside the reservation: a zero row changes no decision, and a concurrent insert of the same
/// key is harmless. Then, in one transaction, each charge is one conditional update
/// <c>SET used = used + @amount WHERE key AND (@limit = 0 OR used + @amount &lt;= @limit)</c>; the database
/// evaluates the condition and writes under the row's write lock (PostgreSQL re-evaluates it on the row
/// as committed by a writer it waited for), so two requests can never both take the last unit, and the
/// first update that changes no row rolls the transaction back. Charges are applied in the policy's fixed
/// order (workspace, principal, agent; minute, day, month), the same for every request, so that row locks
/// are always taken in one order and two reservations never deadlock.</para>
/// </summary>
internal sealed class EfQuotaCounterStore(DevanaDbContext db) : IQuotaCounterStore
{
    public async Task<QuotaReservationResult> TryReserveAsync(IReadOnlyList<QuotaCharge> charges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        if (charges.Count == 0)
        {
            return QuotaReservationResult.Admitted([]);
        }

        try
        {
            return await db.CounterSql.TryReserveAsync(db, charges, charges.Select(QuotaCounter.For).ToList(), cancellationToken);
        }
        catch (Exception exception) when (DatabaseFailure.Is(exception))
        {
            throw Unavailable(exception);
        }
    }

    public async Task AdjustAsync(IReadOnlyList<QuotaCharge> adjustments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(adjustments);
        if (adjustments.Count == 0)
        {
            return;
        }

        await db.CounterSql.AdjustAsync(db, adjustments, adjustments.Select(QuotaCounter.For).ToList(), cancellationToken);
    }

    public async Task<IReadOnlyList<long>> GetUsedAsync(IReadOnlyList<QuotaCharge> charges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        try
        {
            return await QuotaCounterSql.ReadAsync(db, charges.Select(QuotaCounter.For).ToList(), cancellationToken);
        }
        catch (Exception exception) when (DatabaseFailure.Is(exception))
        {
            throw Unavailable(exception);
        }
    }

    /// <summary>Deletes the counters of windows that ended before <paramref name="before"/>; returns how many.</summary>
    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var cutoff = before.ToUnixTimeSeconds();
        return db.Set<QuotaCounter>().Where(c => c.WindowEnd < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    private static ServiceUnavailableException Unavailable(Exception exception) =>
        new("The usage counters cannot be updated in the database, so the request was not run (it would have gone unmetered). Try again shortly.", exception);
}
