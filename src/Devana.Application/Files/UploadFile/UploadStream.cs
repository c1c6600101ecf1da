using System.Security.Cryptography;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.IO;

namespace Devana.Application.Files.UploadFile;

/// <summary>
/// Reads an upload once, as it streams in: it keeps the first bytes aside for sniffing, hashes and counts
/// every byte, and throws 413 as soon as the count passes the limit, so an oversized body (chunked, with no
/// <c>Content-Length</c>) is never read to its end nor held in memory.
/// </summary>
internal sealed class UploadStream(Stream source, long maxBytes) : ForwardOnlyReadStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _head = [];
    private int _headLength;
    private int _headPosition;
    private long _total;
    private bool _ended;
    private string? _sha256;

    /// <summary>Bytes read from the source so far (all of them once the stream has been read to its end).</summary>
    public long TotalBytes => _total;

    /// <summary>Lower-case hex SHA-256 of the whole upload; available once it has been read to its end.</summary>
    public string Sha256 => _sha256 ?? throw new InvalidOperationException("The upload has not been read to its end.");

    /// <summary>Reads up to <paramref name="length"/> bytes ahead; they are still returned by the reads that follow.</summary>
    public async Task<ReadOnlyMemory<byte>> ReadHeadAsync(int length, CancellationToken cancellationToken)
    {
        if (_total > 0)
        {
            throw new InvalidOperationException("The head must be read first.");
        }

        _head = new byte[length];
        while (_headLength < length)
        {
            var read = await source.ReadAsync(_head.AsMemory(_headLength), cancellationToken);
            if (read == 0)
            {
                Account([]);
                break;
            }

            Account(_head.AsSpan(_headLength, read));
            _headLength += read;
        }

        return _head.AsMemory(0, _headLength);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_headPosition < _headLength)
        {
            return CopyFromHead(buffer.Span);
        }

        if (_ended || buffer.IsEmpty)
        {
            return 0;
        }

        var read = await source.ReadAsync(buffer, cancellationToken);
        Account(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer)
    {
        if (_headPosition < _headLength)
        {
            return CopyFromHead(buffer);
        }

        if (_ended || buffer.IsEmpty)
        {
            return 0;
        }

        var read = source.Read(buffer);
        Account(buffer[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private int CopyFromHead(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _headLength - _headPosition);
        _head.AsSpan(_headPosition, count).CopyTo(buffer);
        _headPosition += count;
        return count;
    }

    private void Account(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            if (!_ended)
            {
                _ended = true;
                _sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
            }

            return;
        }

        _total += bytes.Length;
        if (_total > maxBytes)
        {
            throw new PayloadTooLargeException($"The file is larger than the limit of {maxBytes} bytes.", "file");
        }

        _hash.AppendData(bytes);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
