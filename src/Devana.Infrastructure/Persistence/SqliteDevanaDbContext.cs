using System.Collections.Concurrent;
using Devana.Infrastructure.Quotas;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Devana.Infrastructure.Persistence;

/// <summary>The SQLite flavour of <see cref="DevanaDbContext"/>, with its own migrations under Migrations/Sqlite.</summary>
/// <remarks>
/// SQLite has one writer at a time. A writer that finds the file locked waits in SQLite's busy handler,
/// which sleeps a blocked thread for 1, 2, 5, … up to 100 ms between tries: under concurrent requests the
/// lock sits idle while waiters sleep, and the sleeping threads starve the thread pool. So this process
/// queues its own <c>SaveChanges</c> per database file on an async gate, and each one finds the lock free
/// (other processes sharing the file still meet the busy handler). A <c>SaveChanges</c> inside a
/// transaction the caller opened does not queue: that transaction may already hold the lock. Other
/// writers of this process (the quota counters) queue on the same gate through <see cref="EnterWriteGateAsync"/>.
/// </remarks>
public sealed class SqliteDevanaDbContext(DbContextOptions<SqliteDevanaDbContext> options) : DevanaDbContext(options)
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> s_writeGates = new(StringComparer.Ordinal);

    internal override QuotaCounterSql CounterSql => SqliteQuotaCounterSql.Instance;

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var gate = WriteGate();
        if (gate is null)
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }

        gate.Wait();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            gate.Release();
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var gate = WriteGate();
        if (gate is null)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Queues on the write gate first, then runs the transaction: it finds the file's write lock free.</summary>
    public override async Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var lease = await EnterWriteGateAsync(cancellationToken);
        return await base.InTransactionAsync(work, cancellationToken);
    }

    /// <summary>
    /// Waits for this database file's write gate and holds it until the returned lease is disposed: for a
    /// write this process makes outside <c>SaveChanges</c>. Inside a transaction the caller opened, nothing
    /// is waited for (the lease is empty).
    /// </summary>
    internal async ValueTask<WriteGateLease> EnterWriteGateAsync(CancellationToken cancellationToken)
    {
        var gate = WriteGate();
        if (gate is null)
        {
            return default;
        }

        await gate.WaitAsync(cancellationToken);
        return new WriteGateLease(gate);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no offset-aware type and cannot order or compare DateTimeOffset text; store UTC ticks
        // in an integer column so ordering and range queries run in the database.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    /// <summary>The gate of this context's database file; none inside a transaction the caller opened.</summary>
    private SemaphoreSlim? WriteGate()
    {
        if (Database.CurrentTransaction is not null)
        {
            return null;
        }

        var connectionString = Database.GetConnectionString() ?? string.Empty;
        return s_writeGates.GetOrAdd(connectionString, static _ => new SemaphoreSlim(1, 1));
    }
}
