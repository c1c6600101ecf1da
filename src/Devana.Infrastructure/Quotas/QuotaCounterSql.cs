using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;
using Devana.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Devana.Infrastructure.Quotas;

/// <summary>
/// The provider's SQL for the quota counters, a strategy of its own per provider: each provider's context
/// names its strategy (<see cref="DevanaDbContext.CounterSql"/>), so the one registered with the context is
/// the one that runs, and no code branches on the provider.
/// </summary>
internal abstract class QuotaCounterSql
{
    /// <inheritdoc cref="IQuotaCounterStore.TryReserveAsync"/>
    /// <param name="db">The context, in the caller's transaction if it has one.</param>
    /// <param name="charges">The charges, in the policy's fixed order.</param>
    /// <param name="rows">The counter of each charge, in the same order.</param>
    /// <param name="cancellationToken">Cancels the statements.</param>
    public abstract Task<QuotaReservationResult> TryReserveAsync(DevanaDbContext db, IReadOnlyList<QuotaCharge> charges, List<QuotaCounter> rows, CancellationToken cancellationToken);

    /// <inheritdoc cref="IQuotaCounterStore.AdjustAsync"/>
    /// <param name="db">The context, in the caller's transaction if it has one.</param>
    /// <param name="adjustments">The amounts, negative for a refund.</param>
    /// <param name="rows">The counter of each adjustment, in the same order.</param>
    /// <param name="cancellationToken">Cancels the statements.</param>
    public abstract Task AdjustAsync(DevanaDbContext db, IReadOnlyList<QuotaCharge> adjustments, List<QuotaCounter> rows, CancellationToken cancellationToken);

    protected static IQueryable<QuotaCounter> Counter(DevanaDbContext db, QuotaCounter key) =>
        db.Set<QuotaCounter>().Where(c => c.WorkspaceId == key.WorkspaceId && c.Level == key.Level && c.SubjectId == key.SubjectId && c.Kind == key.Kind && c.WindowStart == key.WindowStart);

    protected internal static async Task<IReadOnlyList<long>> ReadAsync(DevanaDbContext db, IReadOnlyList<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        var found = await FindAsync(db, rows, cancellationToken);
        return rows.Select(row => found.GetValueOrDefault(row.Key)).ToList();
    }

    /// <summary>One query for all of a request's counters (they share a workspace and a few windows).</summary>
    protected static async Task<Dictionary<(string, string, string, string, long), long>> FindAsync(DevanaDbContext db, IReadOnlyList<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(string, string, string, string, long), long>();
        foreach (var workspace in rows.GroupBy(row => row.WorkspaceId, StringComparer.Ordinal))
        {
            var workspaceId = workspace.Key;
            var subjects = workspace.Select(row => row.SubjectId).Distinct(StringComparer.Ordinal).ToList();
            var starts = workspace.Select(row => row.WindowStart).Distinct().ToList();
            var counters = await db.Set<QuotaCounter>().AsNoTracking()
                .Where(c => c.WorkspaceId == workspaceId && subjects.Contains(c.SubjectId) && starts.Contains(c.WindowStart))
                .ToListAsync(cancellationToken);
            foreach (var counter in counters)
            {
                result[counter.Key] = counter.Used;
            }
        }

        return result;
    }
}
