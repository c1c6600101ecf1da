using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Devana.Infrastructure.Persistence.Interceptors;

/// <summary>
/// Puts every SQLite connection in WAL mode with a busy timeout, so that readers never block the writer
/// and two processes (two hosts of the service) can share one database file, and keeps its temporary
/// storage (savepoints' journals, sorts) in memory.
/// </summary>
/// <remarks>
/// The pragmas are run once per physical connection, not on every open: Microsoft.Data.Sqlite pools the
/// native handles, EF Core opens and closes the connection around every query and SaveChanges, and the
/// settings stay with the handle (journal_mode=WAL even stays with the file). A handle is remembered
/// weakly, so a closed and collected one is forgotten; a connection that is not pooled gets a new handle
/// and so the pragmas again.
/// </remarks>
internal sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    // journal_mode=WAL persists in the file; busy_timeout, synchronous and temp_store are per connection.
    // temp_store=MEMORY keeps the statement journal in memory: the group-commit writer gives each caller of
    // a batch a savepoint, and SQLite saves every page a savepoint changes to that journal, which went to a
    // temporary file past 64 KB (two thirds of the write system calls of a completion; docs/performance.md).
    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;";

    private static readonly ConditionalWeakTable<object, object> s_configuredHandles = [];
    private static readonly object s_configured = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (IsConfigured(connection))
        {
            return;
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }

        MarkConfigured(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (IsConfigured(connection))
        {
            return;
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        MarkConfigured(connection);
    }

    private static bool IsConfigured(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && s_configuredHandles.TryGetValue(handle, out _);

    private static void MarkConfigured(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            s_configuredHandles.AddOrUpdate(handle, s_configured);
        }
    }
}
