using System.Collections.Concurrent;
using Devana.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.Persistence;

/// <summary>
/// The write path of completions (<see cref="IGroupCommit"/>): one writer at a time per process and database
/// takes everything queued and runs it in transactions of a context of its own
/// (<see cref="DevanaDbContext.InTransactionAsync{T}"/>: on SQLite, behind the file's write gate,
/// <c>BEGIN IMMEDIATE</c>; on the server databases, under the retrying execution strategy).
/// </summary>
/// <remarks>
/// <para><b>Batches, on SQLite</b> (<see cref="Batches"/>): a caller who finds the writer free becomes the
/// writer and runs its own write at once, alone, on its own thread — there is no timer, no writer thread to
/// wake and no hand-over back to the caller. Callers who come while a batch runs queue; when it ends, the
/// writer takes everything queued, up to <see cref="MaxBatch"/>, into the next transaction (on the thread
/// pool, once the caller who became the writer has its answer), and so on until the queue is empty. Under load
/// many completions share one commit (one hand-over of the file's only write lock) instead of one each. In a
/// batch of several, each caller's work and its <c>SaveChanges</c> run inside a savepoint: a work that throws
/// (a refused reservation, a conversation changed meanwhile, a failed statement) is rolled back to its
/// savepoint and fails its caller only; the others commit. A batch of one needs no savepoint: its failure
/// rolls the transaction back. Callers are answered after the commit; when the commit itself fails, every
/// caller of the batch gets that failure (whether it landed is unknown, so nothing is retried on its behalf).
/// The writes of one batch are applied in queue order: two turns of one conversation in one batch meet its
/// concurrency token exactly as they would in two transactions.</para>
/// <para><b>A transaction per write, on SQL Server and PostgreSQL</b>: each caller starts its write at once, in
/// a transaction of its own, side by side with the others. These databases lock rows, not the file, and
/// group the log flushes of concurrent commits themselves. A batch there would hold every caller's row locks
/// until its commit, taken in queue order rather than in the one fixed order each write keeps (see
/// <c>EfQuotaCounterStore</c>): two instances whose batches touched the same counters in different orders
/// (two workspaces, or a minute window's new rows) deadlocked, and one request failed per victim. One write
/// per transaction keeps the fixed order. A transient failure of its <c>SaveChanges</c> runs that one
/// transaction again under the retrying strategy, on a cleared change tracker.</para>
/// </remarks>
internal sealed class GroupCommitWriter : IGroupCommit, IAsyncDisposable, IDisposable
{
    /// <summary>At most this many callers share a transaction: a batch stays short, and so does the write lock it holds.</summary>
    public const int MaxBatch = 64;

    private const string SetSavepoint = "SAVEPOINT \"write\";";
    private const string ReleaseSavepoint = "RELEASE SAVEPOINT \"write\";";
    private const string RollbackToSavepoint = "ROLLBACK TO SAVEPOINT \"write\";";

    private readonly IServiceScopeFactory _scopes;

    /// <summary>Guards <see cref="_queue"/>, <see cref="_writing"/>, <see cref="_disposed"/> and <see cref="_idle"/>.</summary>
    private readonly Lock _lock = new();
    private readonly Queue<WriteItem> _queue = new();
    private readonly ConcurrentDictionary<Task, bool> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<WriteItem> _batch = new(MaxBatch);

    /// <summary>On SQLite, whether a caller is the writer now: it drains the queue until it finds it empty.</summary>
    private bool _writing;
    private bool _disposed;

    /// <summary>Set by <see cref="DisposeAsync"/> while a writer is still draining; the writer completes it when it stops.</summary>
    private TaskCompletionSource? _idle;

    /// <summary>On SQLite, the scope and context every batch runs in (used by the writer alone); rebuilt after a batch that failed.</summary>
    private WriteUnit? _batches;

    /// <param name="scopes">Where each transaction gets its context and services.</param>
    /// <param name="batches">Whether concurrent writes share a transaction: only where the database has one writer at a time (SQLite).</param>
    public GroupCommitWriter(IServiceScopeFactory scopes, bool batches)
    {
        _scopes = scopes;
        Batches = batches;
    }

    /// <summary>Whether concurrent writes share a transaction (SQLite), or each has its own (the server databases).</summary>
    public bool Batches { get; }

    public Task<T> WriteAsync<T>(Func<IWriteUnit, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var item = new WriteItem<T>(work, cancellationToken);
        if (!Batches)
        {
            StartAlone(item);
            return item.Task;
        }

        lock (_lock)
        {
            ThrowIfStopped(_disposed);
            _queue.Enqueue(item);
            if (_writing)
            {
                // The writer takes it in its next batch.
                return item.Task;
            }

            _writing = true;
        }

        // This caller is the writer now. Its batch (its own write, with any that queued in the moment before it
        // took the batch) runs on its own thread: a write that finds the writer free neither waits for nor hands
        // over to another thread, and its caller finds it committed on return.
        _ = DrainAsync(leader: true);
        return item.Task;
    }

    /// <summary>For a container disposed synchronously: the same as <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        Task idle;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            idle = _writing ? (_idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;
        }

        try
        {
            // What is queued or running still gets written, unless it takes too long.
            await Task.WhenAll(_running.Keys.Append(idle)).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync();
        }

        lock (_lock)
        {
            while (_queue.TryDequeue(out var left))
            {
                left.Fail(new ObjectDisposedException(nameof(GroupCommitWriter), "The host stopped before this write was committed; nothing of it was stored."));
            }
        }

        if (_batches is not null)
        {
            await _batches.DisposeAsync();
            _batches = null;
        }

        _stopping.Dispose();
    }

    /// <summary>On a server database: the write's own transaction, started by its caller, beside the others.</summary>
    private void StartAlone(WriteItem item)
    {
        ThrowIfStopped(Volatile.Read(ref _disposed));
        if (item.IsCancelled)
        {
            item.Cancel();
            return;
        }

        var alone = RunBatchAsync([item]);
        if (alone.IsCompleted)
        {
            return;
        }

        // Tracked until it ends, so that stopping waits for it.
        _running.TryAdd(alone, true);
        _ = alone.ContinueWith(done => _running.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Run by the writer (one caller at a time, see <see cref="WriteAsync{T}"/>): batch after batch until the
    /// queue is empty. A caller who became the writer runs one batch, its own; if more queued meanwhile, the
    /// draining goes on on the thread pool, so that the caller is not held up by the others' writes.
    /// </summary>
    private async Task DrainAsync(bool leader)
    {
        while (TakeBatch())
        {
            await RunBatchAsync(_batch);
            _batch.Clear();
            if (leader)
            {
                lock (_lock)
                {
                    if (_queue.Count == 0)
                    {
                        StopWriting();
                        return;
                    }
                }

                // Still the writer, on the pool now, without the caller's execution context (its trace, its scope).
                ThreadPool.UnsafeQueueUserWorkItem(static writer => _ = writer.DrainAsync(leader: false), this, preferLocal: false);
                return;
            }
        }
    }

    /// <summary>Takes the next batch into <see cref="_batch"/>; when there is none, stops being the writer.</summary>
    private bool TakeBatch()
    {
        lock (_lock)
        {
            while (_batch.Count < MaxBatch && _queue.TryDequeue(out var item))
            {
                if (item.IsCancelled)
                {
                    item.Cancel();
                    continue;
                }

                _batch.Add(item);
            }

            if (_batch.Count > 0)
            {
                return true;
            }

            StopWriting();
            return false;
        }
    }

    private static void ThrowIfStopped(bool disposed)
    {
        if (disposed)
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "The writer has stopped: the host is shutting down.");
        }
    }

    /// <summary>Under <see cref="_lock"/>: the queue is empty and the next caller becomes the writer.</summary>
    private void StopWriting()
    {
        _writing = false;
        _idle?.TrySetResult();
    }

    /// <summary>One transaction for the batch; each item's outcome is given to its caller once it has committed (or failed).</summary>
    private async Task RunBatchAsync(List<WriteItem> batch)
    {
        WriteUnit? own = null;
        try
        {
            // Batches never overlap, so they share one scope and context, kept from one to the next (a context
            // and its services built per batch cost a tenth of a lone completion's CPU); a write of its own has
            // its own.
            var unit = Batches ? _batches ??= NewUnit() : own = NewUnit();
            await unit.Db.InTransactionAsync(token => RunItemsAsync(unit, batch, token), _stopping.Token);
        }
        catch (Exception exception)
        {
            if (Batches && _batches is not null)
            {
                // Whatever the failure left in the context, the next batch does not inherit it.
                await _batches.DisposeAsync();
                _batches = null;
            }

            foreach (var item in batch)
            {
                item.Fail(item.Failure ?? exception);
            }

            return;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }

            // The batch's entities (answers can be long) are not kept until the next batch.
            _batches?.Db.ChangeTracker.Clear();
        }

        foreach (var item in batch)
        {
            item.Complete();
        }
    }

    private static async Task<bool> RunItemsAsync(WriteUnit unit, List<WriteItem> batch, CancellationToken cancellationToken)
    {
        var db = unit.Db;
        // A transaction that runs again (a transient failure under the retrying strategy) starts every item
        // afresh, on a context that no longer tracks what the failed attempt added.
        db.ChangeTracker.Clear();
        foreach (var item in batch)
        {
            item.Failure = null;
        }

        if (batch.Count == 1)
        {
            try
            {
                await batch[0].RunAsync(unit, cancellationToken);
                await SaveTrackedAsync(db, cancellationToken);
            }
            catch (Exception exception)
            {
                batch[0].Failure = exception;
                throw;
            }

            return true;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            await ExecuteAsync(db, SetSavepoint, cancellationToken);
            try
            {
                await batch[i].RunAsync(unit, cancellationToken);
                await SaveTrackedAsync(db, cancellationToken);
                await ExecuteAsync(db, ReleaseSavepoint, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                batch[i].Failure = exception;
                await ExecuteAsync(db, RollbackToSavepoint, cancellationToken);
                await ExecuteAsync(db, ReleaseSavepoint, cancellationToken);
            }
            finally
            {
                // Each caller's entities leave the context with its savepoint: the next one starts clean.
                db.ChangeTracker.Clear();
            }
        }

        return true;
    }

    /// <summary>
    /// One of the savepoint statements, on the context's kept command for it (<see cref="PreparedCommands"/>), so
    /// SQLite parses it once: EF Core's savepoint calls go to <c>SqliteTransaction.Save</c>, which builds, parses
    /// and drops a command each time, and cost 1.7% of a completion's CPU at c=64 (docs/performance.md, eleventh
    /// session). Only SQLite batches; each caller's savepoint is released or rolled back before the next is set,
    /// so one name serves them all.
    /// </summary>
    private static Task ExecuteAsync(DevanaDbContext db, string sql, CancellationToken cancellationToken) =>
        db.Command(sql).ExecuteNonQueryAsync(cancellationToken);

    /// <summary>A work's tracked changes, if it made any (the completion writes write their rows themselves, <see cref="RowWriter"/>).</summary>
    private static Task SaveTrackedAsync(DevanaDbContext db, CancellationToken cancellationToken) =>
        db.ChangeTracker.HasChanges() ? db.SaveChangesAsync(cancellationToken) : Task.CompletedTask;

    private WriteUnit NewUnit()
    {
        var scope = _scopes.CreateAsyncScope();
        try
        {
            var unit = new WriteUnit(scope);
            if (Batches)
            {
                // The batches' connection stays open between them (the context would close it after each
                // transaction), so that the statements of the completion writes stay prepared on it.
                unit.Db.Database.OpenConnection();
            }

            return unit;
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    /// <summary>A scope of its own, with its context, which does no change detection: every write says what it changed.</summary>
    private sealed class WriteUnit : IWriteUnit, IAsyncDisposable
    {
        private readonly AsyncServiceScope _scope;

        public WriteUnit(AsyncServiceScope scope)
        {
            _scope = scope;
            Db = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();
            Db.ChangeTracker.AutoDetectChangesEnabled = false;
        }

        public DevanaDbContext Db { get; }

        IApplicationDbContext IWriteUnit.Db => Db;

        public T Get<T>()
            where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

        public ValueTask DisposeAsync() => _scope.DisposeAsync();
    }

    private abstract class WriteItem(CancellationToken cancellationToken)
    {
        /// <summary>What the work threw in the current run of the batch; its caller gets it, the others commit.</summary>
        public Exception? Failure { get; set; }

        public bool IsCancelled => cancellationToken.IsCancellationRequested;

        public abstract Task RunAsync(IWriteUnit unit, CancellationToken cancellationToken);

        /// <summary>After the commit: the result, or the item's own failure.</summary>
        public abstract void Complete();

        public abstract void Fail(Exception exception);

        public abstract void Cancel();

        protected CancellationToken CallerToken => cancellationToken;
    }

    private sealed class WriteItem<T>(Func<IWriteUnit, CancellationToken, Task<T>> work, CancellationToken cancellationToken) : WriteItem(cancellationToken)
    {
        // Continuations run off the writer: a caller never holds up the next batch.
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _value = default!;

        public Task<T> Task => _result.Task;

        public override async Task RunAsync(IWriteUnit unit, CancellationToken cancellationToken) => _value = await work(unit, cancellationToken);

        public override void Complete()
        {
            if (Failure is not null)
            {
                _result.TrySetException(Failure);
            }
            else
            {
                _result.TrySetResult(_value);
            }
        }

        public override void Fail(Exception exception) => _result.TrySetException(exception);

        public override void Cancel() => _result.TrySetCanceled(CallerToken);
    }
}
