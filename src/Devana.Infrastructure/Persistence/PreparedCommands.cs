using System.Data.Common;

namespace Devana.Infrastructure.Persistence;

/// <summary>
/// The commands a context runs again and again on the completions' write path (<see cref="RowWriter"/>'s
/// statements, the quota counters' SQL), one per SQL text, kept for the context's life. A command run again
/// keeps its prepared statement where the connection stays open (the group-commit writer's, on SQLite), so
/// the SQL is parsed once instead of once per completion.
/// </summary>
internal sealed class PreparedCommands : IDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>The command for <paramref name="sql"/> on <paramref name="connection"/>, in <paramref name="transaction"/>, with no parameters yet.</summary>
    public DbCommand For(DbConnection connection, DbTransaction? transaction, string sql, int? timeout)
    {
        if (!_commands.TryGetValue(sql, out var command) || command.Connection != connection)
        {
            command?.Dispose();
            command = connection.CreateCommand();
            command.CommandText = sql;
            if (timeout is { } seconds)
            {
                command.CommandTimeout = seconds;
            }

            _commands[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
