using Devana.Application.Files.Common;
using Devana.Infrastructure.Files;
using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.IntegrationTests.Files;

public sealed class LocalFileStorageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "devana-storage-tests", Guid.NewGuid().ToString("N"));
    private readonly LocalFileStorage _storage;

    public LocalFileStorageTests() => _storage = new LocalFileStorage(Options.Create(new FilesOptions { StoragePath = _root }));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private IEnumerable<string> FilesOnDisk() =>
        Directory.Exists(_root) ? Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories) : [];

    [Fact]
    public async Task SaveOpenDelete_RoundTripsTheBytesUnderAGeneratedName()
    {
        var key = await _storage.SaveAsync(new MemoryStream("hello"u8.ToArray()), CancellationToken.None);

        key.Should().MatchRegex("^[0-9a-f]{32}$");
        FilesOnDisk().Should().ContainSingle().Which.Should().Be(Path.Combine(_root, key[..2], key));
        await using (var stream = await _storage.OpenReadAsync(key, CancellationToken.None))
        {
            using var reader = new StreamReader(stream);
            (await reader.ReadToEndAsync()).Should().Be("hello");
        }

        await _storage.DeleteAsync(key, CancellationToken.None);

        FilesOnDisk().Should().BeEmpty();
        var open = () => _storage.OpenReadAsync(key, CancellationToken.None);
        await open.Should().ThrowAsync<FileNotFoundException>();
        await _storage.DeleteAsync(key, CancellationToken.None);
    }

    [Fact]
    public async Task Save_WhenTheStreamFails_LeavesNothingBehind()
    {
        var save = () => _storage.SaveAsync(new FailingStream(), CancellationToken.None);

        await save.Should().ThrowAsync<IOException>();
        FilesOnDisk().Should().BeEmpty();
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("")]
    public async Task KeysNotMadeByTheStorage_AreRefused(string key)
    {
        var open = () => _storage.OpenReadAsync(key, CancellationToken.None);
        var delete = () => _storage.DeleteAsync(key, CancellationToken.None);

        await open.Should().ThrowAsync<ArgumentException>();
        await delete.Should().ThrowAsync<ArgumentException>();
    }

    private sealed class FailingStream : Stream
    {
        private int _reads;

        public override int Read(byte[] buffer, int offset, int count) =>
            _reads++ == 0 ? count : throw new IOException("The client went away.");

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
