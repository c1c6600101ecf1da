using System.Data.Common;
using System.Globalization;
using System.Text;
using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;
using Devana.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Devana.Infrastructure.Quotas;

/// <summary>
/// The counters' SQL on SQL Server and PostgreSQL (row locks, many writers): conditional updates in a fixed
/// lock order (see <see cref="EfQuotaCounterStore"/>); only the insert-if-absent differs, in
/// <paramref name="dialect"/>. <see cref="SqlServerDevanaDbContext"/> and <see cref="PostgresDevanaDbContext"/> use it.
/// </summary>
internal sealed class ServerQuotaCounterSql(ServerQuotaDialect dialect) : QuotaCounterSql
{
    private const int InsertAttempts = 3;
    private const string ReserveSavepoint = "quota_reserve";
    private const string AdjustSavepoint = "quota_adjust";

    public static readonly ServerQuotaCounterSql SqlServer = new(ServerQuotaDialect.SqlServer);

    public static readonly ServerQuotaCounterSql Postgres = new(ServerQuotaDialect.Postgres);

    public override async Task<QuotaReservationResult> TryReserveAsync(DevanaDbContext db, IReadOnlyList<QuotaCharge> charges, List<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        await EnsureExistAsync(db, rows, cancellationToken);
        if (db.Database.CurrentTransaction is { } outer)
        {
            // Inside the caller's transaction: a savepoint undoes a refused reservation and nothing else.
            await outer.CreateSavepointAsync(ReserveSavepoint, cancellationToken);
            var joined = await ChargeEachAsync(db, charges, rows, cancellationToken);
            if (joined.Breach is not null)
            {
                await outer.RollbackToSavepointAsync(ReserveSavepoint, cancellationToken);
            }

            return joined;
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async token =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var result = await ChargeEachAsync(db, charges, rows, token);
            if (result.Breach is not null)
            {
                await transaction.RollbackAsync(token);
                return result;
            }

            await transaction.CommitAsync(token);
            return result;
        }, cancellationToken);
    }

    public override async Task AdjustAsync(DevanaDbContext db, IReadOnlyList<QuotaCharge> adjustments, List<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is { } outer)
        {
            // Inside the caller's transaction: all the adjustments or none, and the caller's writes stay.
            await outer.CreateSavepointAsync(AdjustSavepoint, cancellationToken);
            try
            {
                await AdjustEachAsync(db, adjustments, rows, cancellationToken);
            }
            catch
            {
                await outer.RollbackToSavepointAsync(AdjustSavepoint, CancellationToken.None);
                throw;
            }

            return;
        }

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async token =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            await AdjustEachAsync(db, adjustments, rows, token);
            await transaction.CommitAsync(token);
        }, cancellationToken);
    }

    /// <summary>SQL Server and PostgreSQL: one conditional update per charge, in order; the first that changes no row is the breach (the caller undoes the others).</summary>
    private static async Task<QuotaReservationResult> ChargeEachAsync(DevanaDbContext db, IReadOnlyList<QuotaCharge> charges, List<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        for (var i = 0; i < charges.Count; i++)
        {
            var amount = charges[i].Amount;
            var limit = charges[i].Limit;
            var changed = await Counter(db, rows[i])
                .Where(c => limit == 0 || c.Used + amount <= limit)
                .ExecuteUpdateAsync(set => set.SetProperty(c => c.Used, c => c.Used + amount), cancellationToken);
            if (changed == 0)
            {
                var used = await Counter(db, rows[i]).Select(c => (long?)c.Used).SingleOrDefaultAsync(cancellationToken)
                    ?? throw new InvalidOperationException($"Quota counter {rows[i].Key} vanished during a reservation.");
                return QuotaReservationResult.Refused(new QuotaBreach(charges[i], used));
            }
        }

        return QuotaReservationResult.Admitted(await ReadAsync(db, rows, cancellationToken));
    }

    private static async Task AdjustEachAsync(DevanaDbContext db, IReadOnlyList<QuotaCharge> adjustments, List<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        for (var i = 0; i < adjustments.Count; i++)
        {
            var amount = adjustments[i].Amount;
            await Counter(db, rows[i]).ExecuteUpdateAsync(set => set.SetProperty(c => c.Used, c => c.Used + amount < 0 ? 0 : c.Used + amount), cancellationToken);
        }
    }

    private async Task EnsureExistAsync(DevanaDbContext db, IReadOnlyList<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await FindAsync(db, rows, cancellationToken);
            var missing = rows.Where(row => !existing.ContainsKey(row.Key)).DistinctBy(row => row.Key).ToList();
            if (missing.Count == 0)
            {
                return;
            }

            try
            {
                var (sql, parameters) = InsertIfAbsent(missing);
                var strategy = db.Database.CreateExecutionStrategy();
                await strategy.ExecuteAsync(token => db.Database.ExecuteSqlRawAsync(sql, parameters, token), cancellationToken);
                return;
            }
            catch (DbException exception) when (IsDuplicateKey(exception) && attempt < InsertAttempts)
            {
                // Another request created one of them first; look again and create what is still missing.
            }
        }
    }

    private (string Sql, object[] Parameters) InsertIfAbsent(IReadOnlyList<QuotaCounter> rows)
    {
        var parameters = new List<object>(rows.Count * 6);
        var values = new StringBuilder();
        foreach (var row in rows)
        {
            var p = parameters.Count;
            values.Append(values.Length == 0 ? string.Empty : ", ")
                .Append(CultureInfo.InvariantCulture, $"({{{p}}}, {{{p + 1}}}, {{{p + 2}}}, {{{p + 3}}}, {{{p + 4}}}, {{{p + 5}}}, 0)");
            parameters.AddRange([row.WorkspaceId, row.Level, row.SubjectId, row.Kind, row.WindowStart, row.WindowEnd]);
        }

        return (dialect.InsertIfAbsent(values.ToString()), parameters.ToArray());
    }

    private bool IsDuplicateKey(DbException exception) => dialect.IsDuplicateKey(exception);
}
