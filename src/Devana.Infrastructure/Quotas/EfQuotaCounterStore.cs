using System.Data.Common;
using System.Globalization;
using System.Text;
using Devana.Application.Common.Exceptions;
using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;
using Devana.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Devana.Infrastructure.Quotas;

/// <summary>
/// The quota counters in the database. Every provider keeps the same rule — all of a request's charges
/// move in one transaction or none does, and a limited counter never goes past its limit — with the SQL
/// that suits it.
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
    private const int InsertAttempts = 3;
    private const string ReserveSavepoint = "quota_reserve";
    private const string AdjustSavepoint = "quota_adjust";

    public async Task<QuotaReservationResult> TryReserveAsync(IReadOnlyList<QuotaCharge> charges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        if (charges.Count == 0)
        {
            return QuotaReservationResult.Admitted([]);
        }

        var rows = charges.Select(QuotaCounter.For).ToList();
        try
        {
            if (db is SqliteDevanaDbContext sqlite)
            {
                return await TryReserveOnSqliteAsync(sqlite, charges, rows, cancellationToken);
            }

            await EnsureExistAsync(rows, cancellationToken);
            if (db.Database.CurrentTransaction is { } outer)
            {
                // Inside the caller's transaction: a savepoint undoes a refused reservation and nothing else.
                await outer.CreateSavepointAsync(ReserveSavepoint, cancellationToken);
                var joined = await ChargeEachAsync(charges, rows, cancellationToken);
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
                var result = await ChargeEachAsync(charges, rows, token);
                if (result.Breach is not null)
                {
                    await transaction.RollbackAsync(token);
                    return result;
                }

                await transaction.CommitAsync(token);
                return result;
            }, cancellationToken);
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

        var rows = adjustments.Select(QuotaCounter.For).ToList();
        if (db is SqliteDevanaDbContext sqlite)
        {
            await AdjustOnSqliteAsync(sqlite, adjustments, rows, cancellationToken);
            return;
        }

        if (db.Database.CurrentTransaction is { } outer)
        {
            // Inside the caller's transaction: all the adjustments or none, and the caller's writes stay.
            await outer.CreateSavepointAsync(AdjustSavepoint, cancellationToken);
            try
            {
                await AdjustEachAsync(adjustments, rows, cancellationToken);
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
            await AdjustEachAsync(adjustments, rows, token);
            await transaction.CommitAsync(token);
        }, cancellationToken);
    }

    /// <summary>SQL Server and PostgreSQL: one conditional update per charge, in order; the first that changes no row is the breach (the caller undoes the others).</summary>
    private async Task<QuotaReservationResult> ChargeEachAsync(IReadOnlyList<QuotaCharge> charges, List<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        for (var i = 0; i < charges.Count; i++)
        {
            var amount = charges[i].Amount;
            var limit = charges[i].Limit;
            var changed = await Counter(rows[i])
                .Where(c => limit == 0 || c.Used + amount <= limit)
                .ExecuteUpdateAsync(set => set.SetProperty(c => c.Used, c => c.Used + amount), cancellationToken);
            if (changed == 0)
            {
                var used = await Counter(rows[i]).Select(c => (long?)c.Used).SingleOrDefaultAsync(cancellationToken)
                    ?? throw new InvalidOperationException($"Quota counter {rows[i].Key} vanished during a reservation.");
                return QuotaReservationResult.Refused(new QuotaBreach(charges[i], used));
            }
        }

        return QuotaReservationResult.Admitted(await ReadAsync(rows, cancellationToken));
    }

    private async Task AdjustEachAsync(IReadOnlyList<QuotaCharge> adjustments, List<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        for (var i = 0; i < adjustments.Count; i++)
        {
            var amount = adjustments[i].Amount;
            await Counter(rows[i]).ExecuteUpdateAsync(set => set.SetProperty(c => c.Used, c => c.Used + amount < 0 ? 0 : c.Used + amount), cancellationToken);
        }
    }

    public async Task<IReadOnlyList<long>> GetUsedAsync(IReadOnlyList<QuotaCharge> charges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        try
        {
            return await ReadAsync(charges.Select(QuotaCounter.For).ToList(), cancellationToken);
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

    /// <summary>
    /// One upsert of every counter, in the caller's transaction or in its own <c>BEGIN IMMEDIATE</c> one.
    /// When a limit is passed, its own transaction is rolled back; in the caller's, the same upsert with the
    /// amounts negated takes the charges back (the write lock is held, so no other writer came between).
    /// </summary>
    private async Task<QuotaReservationResult> TryReserveOnSqliteAsync(SqliteDevanaDbContext sqlite, IReadOnlyList<QuotaCharge> charges, List<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        using var lease = await sqlite.EnterWriteGateAsync(cancellationToken);
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
    private async Task AdjustOnSqliteAsync(SqliteDevanaDbContext sqlite, IReadOnlyList<QuotaCharge> adjustments, List<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        using var lease = await sqlite.EnterWriteGateAsync(cancellationToken);
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

    private IQueryable<QuotaCounter> Counter(QuotaCounter key) =>
        db.Set<QuotaCounter>().Where(c => c.WorkspaceId == key.WorkspaceId && c.Level == key.Level && c.SubjectId == key.SubjectId && c.Kind == key.Kind && c.WindowStart == key.WindowStart);

    private async Task<IReadOnlyList<long>> ReadAsync(IReadOnlyList<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        var found = await FindAsync(rows, cancellationToken);
        return rows.Select(row => found.GetValueOrDefault(row.Key)).ToList();
    }

    /// <summary>One query for all of a request's counters (they share a workspace and a few windows).</summary>
    private async Task<Dictionary<(string, string, string, string, long), long>> FindAsync(IReadOnlyList<QuotaCounter> rows, CancellationToken cancellationToken)
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

    private async Task EnsureExistAsync(IReadOnlyList<QuotaCounter> rows, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await FindAsync(rows, cancellationToken);
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

        return (ServerQuotaDialect.For(db).InsertIfAbsent(values.ToString()), parameters.ToArray());
    }

    private bool IsDuplicateKey(DbException exception) => ServerQuotaDialect.For(db).IsDuplicateKey(exception);

    private static ServiceUnavailableException Unavailable(Exception exception) =>
        new("The usage counters cannot be updated in the database, so the request was not run (it would have gone unmetered). Try again shortly.", exception);
}
