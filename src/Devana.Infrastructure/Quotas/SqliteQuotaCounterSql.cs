using System.Data.Common;
using System.Globalization;
using System.Text;
using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;
using Devana.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Devana.Infrastructure.Quotas;

/// <summary>
/// The counters' SQL on SQLite (one writer at a time): a reservation is one upsert on the file's write
/// gate, a settlement one <c>UPDATE … FROM (VALUES …)</c> (see <see cref="EfQuotaCounterStore"/>).
/// <see cref="SqliteDevanaDbContext"/> is the context that uses it.
/// </summary>
internal sealed class SqliteQuotaCounterSql : QuotaCounterSql
{
    public static readonly SqliteQuotaCounterSql Instance = new();

    private SqliteQuotaCounterSql()
    {
    }

    /// <summary>
    /// One upsert of every counter, in the caller's transaction or in its own <c>BEGIN IMMEDIATE</c> one.
    /// When a limit is passed, its own transaction is rolled back; in the caller's, the same upsert with the
    /// amounts negated takes the charges back (the write lock is held, so no other writer came between).
    /// </summary>
    public override async Task<QuotaReservationResult> TryReserveAsync(DevanaDbContext db, IReadOnlyList<QuotaCharge> charges, List<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        using var lease = await ((SqliteDevanaDbContext)db).EnterWriteGateAsync(cancellationToken);
        var outer = db.Database.CurrentTransaction;
        await using var owned = outer is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var transaction = (owned ?? outer)!.GetDbTransaction();
        var usedAfter = await UpsertAsync(transaction, rows, charges.Select(c => c.Amount).ToList(), cancellationToken);
        for (var i = 0; i < charges.Count; i++)
        {
            var before = usedAfter[i] - charges[i].Amount;
            if (!charges[i].FitsWithin(before))
            {
                if (owned is not null)
                {
                    await owned.RollbackAsync(cancellationToken);
                }
                else
                {
                    await UpsertAsync(transaction, rows, charges.Select(c => -c.Amount).ToList(), cancellationToken);
                }

                return QuotaReservationResult.Refused(new QuotaBreach(charges[i], before));
            }
        }

        if (owned is not null)
        {
            await owned.CommitAsync(cancellationToken);
        }

        return QuotaReservationResult.Admitted(usedAfter);
    }

    /// <summary>
    /// <c>INSERT … ON CONFLICT DO UPDATE SET used = used + excluded.used RETURNING …</c>: creates the missing
    /// counters and adds every amount in one statement; returns each counter after it, in the order of <paramref name="rows"/>.
    /// </summary>
    private static async Task<List<long>> UpsertAsync(DbTransaction transaction, List<QuotaCounter> rows, List<long> amounts, CancellationToken cancellationToken)
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        var values = RowValues(command, rows, amounts, withWindowEnd: true);
        command.CommandText = $"""
            INSERT INTO "{QuotaCounter.Table}" ("workspace_id", "level", "subject_id", "kind", "window_start", "window_end", "used")
            VALUES {values}
            ON CONFLICT ("workspace_id", "level", "subject_id", "kind", "window_start") DO UPDATE SET "used" = "used" + excluded."used"
            RETURNING "workspace_id", "level", "subject_id", "kind", "window_start", "used";
            """;

        // RETURNING gives the rows in no set order, so they are matched back by key.
        var after = new Dictionary<(string, string, string, string, long), long>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                after[(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4))] = reader.GetInt64(5);
            }
        }

        return rows.Select(row => after.TryGetValue(row.Key, out var used)
            ? used
            : throw new InvalidOperationException($"Quota counter {row.Key} was not returned by its upsert.")).ToList();
    }

    /// <summary>Every adjustment in one statement (so one commit), on the write gate; a counter never goes below zero.</summary>
    public override async Task AdjustAsync(DevanaDbContext db, IReadOnlyList<QuotaCharge> adjustments, List<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        using var lease = await ((SqliteDevanaDbContext)db).EnterWriteGateAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var values = RowValues(command, rows, adjustments.Select(a => a.Amount).ToList(), withWindowEnd: false);
            command.CommandText = $"""
                WITH "a" ("workspace_id", "level", "subject_id", "kind", "window_start", "amount") AS (VALUES {values})
                UPDATE "{QuotaCounter.Table}" SET "used" = MAX(0, "{QuotaCounter.Table}"."used" + "a"."amount")
                FROM "a"
                WHERE "{QuotaCounter.Table}"."workspace_id" = "a"."workspace_id" AND "{QuotaCounter.Table}"."level" = "a"."level"
                  AND "{QuotaCounter.Table}"."subject_id" = "a"."subject_id" AND "{QuotaCounter.Table}"."kind" = "a"."kind"
                  AND "{QuotaCounter.Table}"."window_start" = "a"."window_start";
                """;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The SQLite <c>VALUES</c> rows of <paramref name="rows"/>, each <c>(workspace_id, level, subject_id,
    /// kind, window_start[, window_end], amount)</c>, with their parameters added to <paramref name="command"/>.
    /// </summary>
    private static StringBuilder RowValues(DbCommand command, List<QuotaCounter> rows, IReadOnlyList<long> amounts, bool withWindowEnd)
    {
        var values = new StringBuilder();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            values.Append(i == 0 ? string.Empty : ", ")
                .Append(CultureInfo.InvariantCulture, $"($w{i}, $l{i}, $s{i}, $k{i}, $ws{i}, ")
                .Append(withWindowEnd ? string.Create(CultureInfo.InvariantCulture, $"$we{i}, ") : string.Empty)
                .Append(CultureInfo.InvariantCulture, $"$a{i})");
            AddParameter(command, $"$w{i}", row.WorkspaceId);
            AddParameter(command, $"$l{i}", row.Level);
            AddParameter(command, $"$s{i}", row.SubjectId);
            AddParameter(command, $"$k{i}", row.Kind);
            AddParameter(command, $"$ws{i}", row.WindowStart);
            if (withWindowEnd)
            {
                AddParameter(command, $"$we{i}", row.WindowEnd);
            }

            AddParameter(command, $"$a{i}", amounts[i]);
        }

        return values;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
