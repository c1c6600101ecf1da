using System.Collections.Concurrent;
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

    // The statements' text by number of counters (a request has a few shapes of policy), built once: the
    // context's kept command for each text stays prepared (PreparedCommands).
    private static readonly ConcurrentDictionary<int, string> s_upserts = new();
    private static readonly ConcurrentDictionary<int, string> s_adjustments = new();

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
        var usedAfter = await UpsertAsync(db, transaction, rows, charges.Select(c => c.Amount).ToList(), cancellationToken);
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
                    await UpsertAsync(db, transaction, rows, charges.Select(c => -c.Amount).ToList(), cancellationToken);
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
    private static async Task<List<long>> UpsertAsync(DevanaDbContext db, DbTransaction transaction, List<QuotaCounter> rows, List<long> amounts, CancellationToken cancellationToken)
    {
        var sql = s_upserts.GetOrAdd(rows.Count, static count => $"""
            INSERT INTO "{QuotaCounter.Table}" ("workspace_id", "level", "subject_id", "kind", "window_start", "window_end", "used")
            VALUES {RowValues(count, withWindowEnd: true)}
            ON CONFLICT ("workspace_id", "level", "subject_id", "kind", "window_start") DO UPDATE SET "used" = "used" + excluded."used"
            RETURNING "workspace_id", "level", "subject_id", "kind", "window_start", "used";
            """);
        var command = db.Commands.For(transaction.Connection!, transaction, sql, db.Database.GetCommandTimeout());
        AddRowParameters(command, rows, amounts, withWindowEnd: true);

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
            var sql = s_adjustments.GetOrAdd(rows.Count, static count => $"""
                WITH "a" ("workspace_id", "level", "subject_id", "kind", "window_start", "amount") AS (VALUES {RowValues(count, withWindowEnd: false)})
                UPDATE "{QuotaCounter.Table}" SET "used" = MAX(0, "{QuotaCounter.Table}"."used" + "a"."amount")
                FROM "a"
                WHERE "{QuotaCounter.Table}"."workspace_id" = "a"."workspace_id" AND "{QuotaCounter.Table}"."level" = "a"."level"
                  AND "{QuotaCounter.Table}"."subject_id" = "a"."subject_id" AND "{QuotaCounter.Table}"."kind" = "a"."kind"
                  AND "{QuotaCounter.Table}"."window_start" = "a"."window_start";
                """);
            var command = db.Commands.For(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), sql, db.Database.GetCommandTimeout());
            AddRowParameters(command, rows, adjustments.Select(a => a.Amount).ToList(), withWindowEnd: false);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The SQLite <c>VALUES</c> rows of <paramref name="count"/> counters, each <c>(workspace_id, level,
    /// subject_id, kind, window_start[, window_end], amount)</c> as parameters (<see cref="AddRowParameters"/>).
    /// </summary>
    private static string RowValues(int count, bool withWindowEnd)
    {
        var values = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            values.Append(i == 0 ? string.Empty : ", ")
                .Append(CultureInfo.InvariantCulture, $"($w{i}, $l{i}, $s{i}, $k{i}, $ws{i}, ")
                .Append(withWindowEnd ? string.Create(CultureInfo.InvariantCulture, $"$we{i}, ") : string.Empty)
                .Append(CultureInfo.InvariantCulture, $"$a{i})");
        }

        return values.ToString();
    }

    /// <summary>The parameters of <see cref="RowValues"/> for <paramref name="rows"/> and their amounts.</summary>
    private static void AddRowParameters(DbCommand command, List<QuotaCounter> rows, IReadOnlyList<long> amounts, bool withWindowEnd)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
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
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
