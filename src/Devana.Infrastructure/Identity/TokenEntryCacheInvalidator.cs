using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// Empties the <see cref="TokenEntryCache"/> after this process changes or deletes OpenIddict tokens,
/// authorizations or applications (SaveChanges, ExecuteUpdate/ExecuteDelete or raw SQL alike): at once
/// for a statement outside a transaction, and again when the transaction that held it commits, so that
/// a lookup made between the statement and the commit cannot keep the old state.
/// </summary>
internal sealed class TokenEntryCacheInvalidator(TokenEntryCache cache) : DbCommandInterceptor, IDbTransactionInterceptor
{
    private static readonly string[] s_tables = ["OpenIddictTokens", "OpenIddictAuthorizations", "OpenIddictApplications"];
    private static readonly object s_pending = new();
    private readonly ConditionalWeakTable<DbTransaction, object> _pendingTransactions = [];

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }

    internal static bool ChangesOpenIddictEntries(string sql)
    {
        if (!sql.Contains("UPDATE", StringComparison.OrdinalIgnoreCase) && !sql.Contains("DELETE", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var table in s_tables)
        {
            if (sql.Contains(table, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private void Check(DbCommand command)
    {
        if (!cache.IsEnabled || !ChangesOpenIddictEntries(command.CommandText))
        {
            return;
        }

        cache.Invalidate();
        if (command.Transaction is { } transaction)
        {
            _pendingTransactions.AddOrUpdate(transaction, s_pending);
        }
    }

    private void Committed(DbTransaction transaction)
    {
        if (_pendingTransactions.TryGetValue(transaction, out _))
        {
            _pendingTransactions.Remove(transaction);
            cache.Invalidate();
        }
    }
}
