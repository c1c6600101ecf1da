namespace Devana.Infrastructure.Llm.Clients.Http;

/// <summary>The read-only stream of <see cref="GuardedContent"/>.</summary>
internal sealed class GuardedStream(Stream inner, TimeSpan? idleTimeout, TimeProvider timeProvider, CancellationToken boundToken) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var timer = idleTimeout is { } timeout ? new CancellationTokenSource(timeout, timeProvider) : null;
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, boundToken, timer?.Token ?? CancellationToken.None);
        try
        {
            return await inner.ReadAsync(buffer, guard.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException && guard.IsCancellationRequested)
        {
            if (cancellationToken.IsCancellationRequested || boundToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The read was cancelled.", e, cancellationToken.IsCancellationRequested ? cancellationToken : boundToken);
            }

            throw new UpstreamTimeoutException(idleTimeout ?? TimeSpan.Zero, answerStarted: true, e);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
