using System.Data.Common;
using System.Runtime.CompilerServices;
using Devana.Domain.Agents;
using Devana.Domain.Quotas;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Devana.Infrastructure.Caching;

/// <summary>
/// Empties <see cref="SettingsCache"/> when this process saves an agent or a quota (agents and quotas are
/// only ever written through SaveChanges). It empties it once the SaveChanges has written, and again when
/// the transaction it ran in commits, so that a load made in between cannot keep the old row.
/// </summary>
internal sealed class SettingsCacheInvalidator(SettingsCache cache) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly object s_pending = new();
    private readonly ConditionalWeakTable<DbContext, object> _pendingContexts = [];
    private readonly ConditionalWeakTable<DbTransaction, object> _pendingTransactions = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Saved(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Whether an agent or a quota is added, changed or deleted. <c>Entries()</c> would first run change
    /// detection over everything tracked (a completion tracks its conversation and messages), and
    /// SaveChanges runs it again right after: so the tracked entries are first looked at without detection,
    /// and changes are detected only when an agent or a quota is tracked at all.
    /// </summary>
    private static bool ChangesSettings(DbContext context)
    {
        var tracker = context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            if (!tracker.Entries().Any(entry => entry.Entity is Agent or Quota))
            {
                return false;
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }

        return tracker.Entries().Any(entry =>
            entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && entry.Entity is Agent or Quota);
    }

    private void Note(DbContext? context)
    {
        if (context is not null && cache.IsEnabled && ChangesSettings(context))
        {
            cache.Invalidate();
            _pendingContexts.AddOrUpdate(context, s_pending);
        }
    }

    /// <summary>After the write (committed, unless it ran in a transaction the caller opened: then at its commit too).</summary>
    private void Saved(DbContext? context)
    {
        if (context is null || !_pendingContexts.TryGetValue(context, out _))
        {
            return;
        }

        _pendingContexts.Remove(context);
        cache.Invalidate();
        if (context.Database.CurrentTransaction?.GetDbTransaction() is { } transaction)
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
