using System.Security.Cryptography;
using Devana.Application.Common.Exceptions;
using Devana.Application.Files.UploadFile;

namespace Devana.Application.UnitTests.Files;

public sealed class UploadStreamTests
{
    /// <summary>A forward-only source that hands out a few bytes per read, as a network stream does.</summary>
    private sealed class TrickleStream(byte[] data, int perRead) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, perRead));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, perRead)], cancellationToken);

        public override bool CanSeek => false;
    }

    [Fact]
    public async Task ReadHeadThenRest_ReturnsEveryByteOnceAndHashesThem()
    {
        var data = RandomNumberGenerator.GetBytes(50_000);
        await using var upload = new UploadStream(new TrickleStream(data, 777), maxBytes: 100_000);

        var head = await upload.ReadHeadAsync(8192, CancellationToken.None);
        using var copy = new MemoryStream();
        await upload.CopyToAsync(copy);

        head.ToArray().Should().Equal(data[..8192]);
        copy.ToArray().Should().Equal(data);
        upload.TotalBytes.Should().Be(data.Length);
        upload.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(data)));
    }

    [Fact]
    public async Task ReadHead_WhenSourceIsShorterThanTheHead_EndsWithTheHash()
    {
        var data = "hello"u8.ToArray();
        await using var upload = new UploadStream(new MemoryStream(data), maxBytes: 100);

        var head = await upload.ReadHeadAsync(8192, CancellationToken.None);
        using var copy = new MemoryStream();
        await upload.CopyToAsync(copy);

        head.Length.Should().Be(5);
        copy.ToArray().Should().Equal(data);
        upload.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(data)));
    }

    [Fact]
    public async Task Read_WhenSourceExceedsTheLimit_Throws413AfterReadingJustPastIt()
    {
        var source = new TrickleStream(new byte[1_000_000], 1000);
        await using var upload = new UploadStream(source, maxBytes: 10_000);
        await upload.ReadHeadAsync(4096, CancellationToken.None);

        var copy = () => upload.CopyToAsync(Stream.Null);

        (await copy.Should().ThrowAsync<PayloadTooLargeException>()).Which.Param.Should().Be("file");
        source.Position.Should().BeLessThanOrEqualTo(11_000);
    }

    [Fact]
    public async Task ReadHead_WhenTheHeadAloneExceedsTheLimit_Throws413()
    {
        await using var upload = new UploadStream(new MemoryStream(new byte[5000]), maxBytes: 100);

        var read = () => upload.ReadHeadAsync(8192, CancellationToken.None);

        await read.Should().ThrowAsync<PayloadTooLargeException>();
    }
}
