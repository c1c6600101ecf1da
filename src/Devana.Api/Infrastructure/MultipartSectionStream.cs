using Devana.Application.Common.Exceptions;
using Devana.Application.Common.IO;

namespace Devana.Api.Infrastructure;

/// <summary>
/// Reads a multipart section's body for the upload handler, turning the reader's complaints about the
/// caller's body (truncated before the closing boundary, malformed) into a 400 naming <paramref name="param"/>.
/// The server's own 413 (<see cref="BadHttpRequestException"/>) and any other failure pass through unchanged,
/// so a storage error is never mistaken for the caller's.
/// </summary>
internal sealed class MultipartSectionStream(Stream inner, string param, CancellationToken requestAborted) : ForwardOnlyReadStream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception exception) when (IsCallersFault(exception))
        {
            throw Malformed(exception);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return inner.Read(buffer, offset, count);
        }
        catch (Exception exception) when (IsCallersFault(exception))
        {
            throw Malformed(exception);
        }
    }

    private bool IsCallersFault(Exception exception) =>
        !requestAborted.IsCancellationRequested
        && exception is InvalidDataException or (IOException and not BadHttpRequestException);

    private BadRequestException Malformed(Exception exception) =>
        new($"The multipart body ended or broke before the file was complete: {exception.Message.Trim()}", param);
}
