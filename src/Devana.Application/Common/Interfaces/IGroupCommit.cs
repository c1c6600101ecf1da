namespace Devana.Application.Common.Interfaces;

/// <summary>
/// The one write path of completions: a queue drained by one writer at a time per database. Where the
/// database has one writer at a time (SQLite), a caller who finds the writer free runs its write at once
/// (a lone write never waits for company, nor for another thread); callers who come meanwhile queue, and the
/// writer takes whatever is queued when it is free, runs each caller's work in one transaction — each in a savepoint of its own, so that
/// one that fails is undone alone and fails only its caller — and commits once. Where it locks rows (SQL
/// Server, PostgreSQL), each write runs at once in a transaction of its own, so that every transaction takes
/// its row locks in the one fixed order. Every caller is answered only after its commit.
/// </summary>
public interface IGroupCommit
{
    /// <summary>
    /// Queues <paramref name="work"/>: it runs on the writer (at once if the writer is free, else in the next
    /// batch, where there are batches), and
    /// its tracked changes are saved with it. Completes once its transaction has committed; throws what the
    /// work threw (nothing of it is stored), or the commit's failure.
    /// </summary>
    /// <param name="work">The caller's writes, run on the writer with the transaction's unit (it may run again if the transaction is retried after a transient failure).</param>
    /// <param name="cancellationToken">Cancels the write only while it waits in the queue; once taken, it runs to the end.</param>
    Task<T> WriteAsync<T>(Func<IWriteUnit, CancellationToken, Task<T>> work, CancellationToken cancellationToken);
}

/// <summary>One caller's part of a batch: the batch's context and transaction, and the services bound to them.</summary>
public interface IWriteUnit
{
    /// <summary>
    /// The batch's context. It does not detect changes: what is to be written is added, attached or marked
    /// explicitly, or (the completion writes) written at once through <see cref="IApplicationDbContext.Rows"/>.
    /// </summary>
    IApplicationDbContext Db { get; }

    /// <summary>A service of the batch's scope (the quota gate and counters), which writes in the batch's transaction.</summary>
    T Get<T>()
        where T : notnull;
}
