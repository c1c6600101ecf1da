using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Devana.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.Persistence;

/// <summary>
/// The write path of completions (<see cref="IGroupCommit"/>): one writer loop per process and database takes
/// everything queued and runs it in transactions of a context of its own
/// (<see cref="DevanaDbContext.InTransactionAsync{T}"/>: on SQLite, behind the file's write gate,
/// <c>BEGIN IMMEDIATE</c>; on the server databases, under the retrying execution strategy).
/// </summary>
/// <remarks>
/// <para><b>Batches, on SQLite</b> (<see cref="Batches"/>): the loop takes everything queued when it is free,
/// up to <see cref="MaxBatch"/>, into one transaction. There is no timer: a write that finds the writer idle
/// runs at once, alone. While a batch commits, the next callers queue, and the next batch takes them all —
/// under load many completions share one commit (one fsync, one hand-over of the file's only write lock)
/// instead of one each. In a batch of several, each caller's work and its <c>SaveChanges</c> run inside a
/// savepoint: a work that throws (a refused reservation, a conversation changed meanwhile, a failed
/// statement) is rolled back to its savepoint and fails its caller only; the others commit. A batch of one
/// needs no savepoint: its failure rolls the transaction back. Callers are answered after the commit; when
/// the commit itself fails, every caller of the batch gets that failure (whether it landed is unknown, so
/// nothing is retried on its behalf). The writes of one batch are applied in queue order: two turns of one
/// conversation in one batch meet its concurrency token exactly as they would in two transactions.</para>
/// <para><b>A transaction per write, on SQL Server and PostgreSQL</b>: the loop starts each write at once, in
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

    private readonly IServiceScopeFactory _scopes;
    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Task, bool> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    /// <summary>On SQLite, the scope and context every batch runs in (used by the loop alone); rebuilt after a batch that failed.</summary>
    private WriteUnit? _batches;

    /// <param name="scopes">Where each transaction gets its context and services.</param>
    /// <param name="batches">Whether concurrent writes share a transaction: only where the database has one writer at a time (SQLite).</param>
    public GroupCommitWriter(IServiceScopeFactory scopes, bool batches)
    {
        _scopes = scopes;
        Batches = batches;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Whether concurrent writes share a transaction (SQLite), or each has its own (the server databases).</summary>
    public bool Batches { get; }

    public Task<T> WriteAsync<T>(Func<IWriteUnit, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var item = new WriteItem<T>(work, cancellationToken);
        if (!_queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "The writer has stopped: the host is shutting down.");
        }

        return item.Task;
    }

    /// <summary>For a container disposed synchronously: the same as <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested || !_queue.Writer.TryComplete())
        {
            return;
        }

        try
        {
            // What is queued still gets written, unless it takes too long.
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync();
        }

        while (_queue.Reader.TryRead(out var left))
        {
            left.Fail(new ObjectDisposedException(nameof(GroupCommitWriter), "The host stopped before this write was committed; nothing of it was stored."));
        }

        if (_batches is not null)
        {
            await _batches.DisposeAsync();
            _batches = null;
        }

        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteItem>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            var limit = Batches ? MaxBatch : 1;
            while (batch.Count < limit && _queue.Reader.TryRead(out var item))
            {
                if (item.IsCancelled)
                {
                    item.Cancel();
                    continue;
                }

                batch.Add(item);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            if (Batches)
            {
                await RunBatchAsync(batch);
                batch.Clear();
                continue;
            }

            // A transaction of its own, started now and run beside the others; the loop goes on to the next write.
            var alone = RunBatchAsync([batch[0]]);
            batch.Clear();
            _running.TryAdd(alone, true);
            _ = alone.ContinueWith(done => _running.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        // Stopping: what is still running finishes (each answers its caller).
        await Task.WhenAll(_running.Keys);
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

        var transaction = db.Database.CurrentTransaction!;
        for (var i = 0; i < batch.Count; i++)
        {
            var savepoint = string.Create(CultureInfo.InvariantCulture, $"w{i}");
            await transaction.CreateSavepointAsync(savepoint, cancellationToken);
            try
            {
                await batch[i].RunAsync(unit, cancellationToken);
                await SaveTrackedAsync(db, cancellationToken);
                await transaction.ReleaseSavepointAsync(savepoint, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                batch[i].Failure = exception;
                await transaction.RollbackToSavepointAsync(savepoint, cancellationToken);
            }
            finally
            {
                // Each caller's entities leave the context with its savepoint: the next one starts clean.
                db.ChangeTracker.Clear();
            }
        }

        return true;
    }

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
        // Continuations run off the writer's loop: a caller never holds up the next batch.
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
