using System.Data.Common;
using Microsoft.Data.SqlClient;
using Npgsql;

namespace Devana.Infrastructure.Quotas;

/// <summary>
/// The only statements of the server-database quota strategy that differ between SQL Server and
/// PostgreSQL: creating missing counters at zero without failing on a concurrent insert of the same key
/// (SQL Server has no <c>ON CONFLICT</c>, so it locks the key range with <c>UPDLOCK, HOLDLOCK</c>), and
/// telling a duplicate-key error apart. Everything else — the conditional updates in the fixed lock order,
/// savepoints inside the caller's transaction, the settlement — is the same code on both
/// (<see cref="ServerQuotaCounterSql"/>), so the PostgreSQL tests run it.
/// </summary>
internal abstract class ServerQuotaDialect
{
    public static readonly ServerQuotaDialect SqlServer = new SqlServerDialect();

    public static readonly ServerQuotaDialect Postgres = new PostgresDialect();

    /// <summary>
    /// An insert of <paramref name="values"/> (rows of <c>(workspace_id, level, subject_id, kind,
    /// window_start, window_end, used)</c> with EF's <c>{n}</c> placeholders) that skips the keys that exist.
    /// </summary>
    public abstract string InsertIfAbsent(string values);

    public abstract bool IsDuplicateKey(DbException exception);

    private sealed class SqlServerDialect : ServerQuotaDialect
    {
        private const string Columns = "[workspace_id], [level], [subject_id], [kind], [window_start], [window_end], [used]";

        public override string InsertIfAbsent(string values) => $"""
            INSERT INTO [{QuotaCounter.Table}] ({Columns})
            SELECT v.[workspace_id], v.[level], v.[subject_id], v.[kind], v.[window_start], v.[window_end], v.[used]
            FROM (VALUES {values}) AS v ({Columns})
            WHERE NOT EXISTS (
                SELECT 1 FROM [{QuotaCounter.Table}] AS c WITH (UPDLOCK, HOLDLOCK)
                WHERE c.[workspace_id] = v.[workspace_id] AND c.[level] = v.[level] AND c.[subject_id] = v.[subject_id]
                  AND c.[kind] = v.[kind] AND c.[window_start] = v.[window_start]);
            """;

        public override bool IsDuplicateKey(DbException exception) => exception is SqlException { Number: 2627 or 2601 };
    }

    private sealed class PostgresDialect : ServerQuotaDialect
    {
        private const string Columns = "workspace_id, level, subject_id, kind, window_start, window_end, used";

        public override string InsertIfAbsent(string values) =>
            $"INSERT INTO \"{QuotaCounter.Table}\" ({Columns}) VALUES {values} ON CONFLICT (workspace_id, level, subject_id, kind, window_start) DO NOTHING;";

        public override bool IsDuplicateKey(DbException exception) => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
    }
}
