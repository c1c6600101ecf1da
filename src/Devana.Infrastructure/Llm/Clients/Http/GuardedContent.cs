using System.Net;

namespace Devana.Infrastructure.Llm.Clients.Http;

/// <summary>
/// Wraps a response body so that each read is bounded by an idle timeout and/or bound to a cancellation
/// token that the code reading the body does not pass on itself. Headers are copied unchanged.
/// </summary>
internal sealed class GuardedContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly TimeSpan? _idleTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationToken _boundToken;

    public GuardedContent(HttpContent inner, TimeSpan? idleTimeout, TimeProvider timeProvider, CancellationToken boundToken)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _inner = inner;
        _idleTimeout = idleTimeout;
        _timeProvider = timeProvider;
        _boundToken = boundToken;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var source = await CreateContentReadStreamAsync(cancellationToken);
        await source.CopyToAsync(stream, cancellationToken);
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new GuardedStream(await _inner.ReadAsStreamAsync(cancellationToken), _idleTimeout, _timeProvider, _boundToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
