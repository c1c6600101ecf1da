using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;
using Devana.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Devana.Infrastructure.Quotas;

/// <summary>
/// The counters' SQL on SQLite (one writer at a time): a reservation is one upsert on the file's write
/// gate, a settlement one <c>UPDATE … FROM (VALUES …)</c> (see <see cref="EfQuotaCounterStore"/>).
/// <see cref="SqliteDevanaDbContext"/> is the context that uses it.
/// </summary>
internal sealed class SqliteQuotaCounterSql : QuotaCounterSql
{
    public static readonly SqliteQuotaCounterSql Instance = new();

    // Statements with more shapes than this are built per call instead of kept: a request has a few shapes
    // (see RowValues), so the limit is only a bound on what an unusual caller could make the process keep.
    private const int KeptShapes = 256;

    // The statements' text by shape of their rows (RowValues), built once: the context's kept command for
    // each text stays prepared (PreparedCommands).
    private static readonly ConcurrentDictionary<string, string> s_upserts = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> s_adjustments = new(StringComparer.Ordinal);

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
        var usedAfter = await UpsertAsync(db, rows, charges.Select(c => c.Amount).ToList(), cancellationToken);
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
                    await UpsertAsync(db, rows, charges.Select(c => -c.Amount).ToList(), cancellationToken);
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
    /// <remarks>Runs in the context's current transaction: the caller's, or the one <see cref="TryReserveAsync"/> began.</remarks>
    private static async Task<List<long>> UpsertAsync(DevanaDbContext db, List<QuotaCounter> rows, List<long> amounts, CancellationToken cancellationToken)
    {
        var values = RowValues.Of(rows, amounts, withWindowEnd: true);
        var sql = Statement(s_upserts, values, static values => $"""
            INSERT INTO "{QuotaCounter.Table}" ("workspace_id", "level", "subject_id", "kind", "window_start", "window_end", "used")
            VALUES {values.Sql()}
            ON CONFLICT ("workspace_id", "level", "subject_id", "kind", "window_start") DO UPDATE SET "used" = "used" + excluded."used"
            RETURNING "workspace_id", "level", "subject_id", "kind", "window_start", "used";
            """);
        var command = db.Command(sql);
        values.AddParameters(command);

        // RETURNING gives the rows in no set order, so they are matched back by key.
        var after = new Dictionary<(string, string, string, string, long), long>(rows.Count);
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
            var values = RowValues.Of(rows, adjustments.Select(a => a.Amount).ToList(), withWindowEnd: false);
            var sql = Statement(s_adjustments, values, static values => $"""
                WITH "a" ("workspace_id", "level", "subject_id", "kind", "window_start", "amount") AS (VALUES {values.Sql()})
                UPDATE "{QuotaCounter.Table}" SET "used" = MAX(0, "{QuotaCounter.Table}"."used" + "a"."amount")
                FROM "a"
                WHERE "{QuotaCounter.Table}"."workspace_id" = "a"."workspace_id" AND "{QuotaCounter.Table}"."level" = "a"."level"
                  AND "{QuotaCounter.Table}"."subject_id" = "a"."subject_id" AND "{QuotaCounter.Table}"."kind" = "a"."kind"
                  AND "{QuotaCounter.Table}"."window_start" = "a"."window_start";
                """);
            var command = db.Command(sql);
            values.AddParameters(command);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The statement for <paramref name="values"/>' shape: kept, unless <see cref="KeptShapes"/> are kept already.</summary>
    private static string Statement(ConcurrentDictionary<string, string> kept, RowValues values, Func<RowValues, string> build) =>
        kept.TryGetValue(values.Shape, out var sql) ? sql
        : kept.Count < KeptShapes ? kept.GetOrAdd(values.Shape, static (_, state) => state.build(state.values), (values, build)) : build(values);

    /// <summary>
    /// The <c>VALUES</c> rows of counters, each <c>(workspace_id, level, subject_id, kind, window_start[,
    /// window_end], amount)</c>, with each distinct value bound once: a reservation's 12 counters share one
    /// workspace, three subjects, four kinds, three windows and two amounts, so about 20 parameters instead of 84.
    /// SQLite finds each parameter by name with a scan of the statement's names
    /// (<c>sqlite3_bind_parameter_index</c>), so binding 84 of them cost about 2% of a completion's CPU
    /// (docs/performance.md, eleventh session).
    /// </summary>
    /// <remarks>
    /// The <see cref="Shape"/> holds, per column of each row, the index of its value among the distinct
    /// strings (<c>$s</c><i>n</i>, the four key columns) or numbers (<c>$n</c><i>n</i>, the rest), one
    /// character each: rows whose values repeat alike share one statement text.
    /// </remarks>
    private sealed class RowValues
    {
        private const int StringColumns = 4;

        private static readonly string[] s_stringNames = Names("$s", 64);
        private static readonly string[] s_numberNames = Names("$n", 64);

        private readonly List<string> _strings;
        private readonly List<long> _numbers;
        private readonly int _width;

        private RowValues(int width, string shape, List<string> strings, List<long> numbers)
        {
            _width = width;
            Shape = shape;
            _strings = strings;
            _numbers = numbers;
        }

        public string Shape { get; }

        public static RowValues Of(List<QuotaCounter> rows, IReadOnlyList<long> amounts, bool withWindowEnd)
        {
            var width = withWindowEnd ? 7 : 6;
            var strings = new List<string>();
            var numbers = new List<long>();
            var shape = new StringBuilder(rows.Count * width);
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                shape.Append(IndexOf(strings, row.WorkspaceId)).Append(IndexOf(strings, row.Level))
                    .Append(IndexOf(strings, row.SubjectId)).Append(IndexOf(strings, row.Kind))
                    .Append(IndexOf(numbers, row.WindowStart));
                if (withWindowEnd)
                {
                    shape.Append(IndexOf(numbers, row.WindowEnd));
                }

                shape.Append(IndexOf(numbers, amounts[i]));
            }

            return new RowValues(width, shape.ToString(), strings, numbers);
        }

        /// <summary>The rows as SQL, for <see cref="Shape"/>.</summary>
        public string Sql()
        {
            var sql = new StringBuilder();
            for (var i = 0; i < Shape.Length; i++)
            {
                var column = i % _width;
                sql.Append(column == 0 ? (i == 0 ? "(" : ", (") : ", ")
                    .Append(column < StringColumns ? Name(s_stringNames, "$s", Shape[i]) : Name(s_numberNames, "$n", Shape[i]));
                if (column == _width - 1)
                {
                    sql.Append(')');
                }
            }

            return sql.ToString();
        }

        public void AddParameters(DbCommand command)
        {
            for (var i = 0; i < _strings.Count; i++)
            {
                AddParameter(command, Name(s_stringNames, "$s", i), _strings[i]);
            }

            for (var i = 0; i < _numbers.Count; i++)
            {
                AddParameter(command, Name(s_numberNames, "$n", i), _numbers[i]);
            }
        }

        private static char IndexOf(List<string> strings, string value)
        {
            for (var i = 0; i < strings.Count; i++)
            {
                if (string.Equals(strings[i], value, StringComparison.Ordinal))
                {
                    return (char)i;
                }
            }

            strings.Add(value);
            return (char)(strings.Count - 1);
        }

        private static char IndexOf(List<long> numbers, long value)
        {
            var index = numbers.IndexOf(value);
            if (index >= 0)
            {
                return (char)index;
            }

            numbers.Add(value);
            return (char)(numbers.Count - 1);
        }

        private static string[] Names(string prefix, int count) =>
            Enumerable.Range(0, count).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture)).ToArray();

        private static string Name(string[] names, string prefix, int index) =>
            index < names.Length ? names[index] : prefix + index.ToString(CultureInfo.InvariantCulture);

        private static void AddParameter(DbCommand command, string name, object value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
    }
}
