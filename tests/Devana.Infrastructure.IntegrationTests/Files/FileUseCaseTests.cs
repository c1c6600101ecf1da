using System.Text;
using Devana.Application.Common.Interfaces;
using Devana.Application.Files.Common;
using Devana.Application.Files.DeleteFile;
using Devana.Domain.Files;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.IntegrationTests.Files;

/// <summary>The upload and delete use cases over the real database and storage.</summary>
public sealed class FileUseCaseTests(FilesFixture fixture) : IClassFixture<FilesFixture>
{
    private const string Workspace = "ws_cases";

    private readonly string _owner = $"usr_{Guid.NewGuid():N}";

    private Task<FileDto> UploadAsync(string filename, string text) =>
        fixture.UploadAsync(Workspace, _owner, filename, Encoding.UTF8.GetBytes(text));

    private static string Filler(int words) => string.Join(' ', Enumerable.Range(0, words).Select(i => $"word{i % 37}"));

    [Fact]
    public async Task Upload_StoresTheBytesTheTextChunksAndTheirMetadata()
    {
        var text = Filler(300);
        var file = await UploadAsync("story.txt", text);

        file.Status.Should().Be("processed");
        file.Bytes.Should().Be(Encoding.UTF8.GetByteCount(text));
        await using var scope = fixture.ScopeOf(Workspace, _owner);
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var stored = await db.Files.Include(f => f.Chunks).SingleAsync(f => f.Id == file.Id);
        stored.Chunks.Should().HaveCountGreaterThan(1).And.OnlyContain(c => c.TokenCount <= FilesFixture.ChunkTokens);
        StoredFile.RebuildText(stored.Chunks).Should().Be(text);
        File.Exists(Path.Combine(fixture.StoragePath, stored.StorageKey[..2], stored.StorageKey)).Should().BeTrue();
    }

    [Fact]
    public async Task Delete_RemovesTheBytesTheRowAndTheChunks()
    {
        var file = await UploadAsync("gone.txt", Filler(300));
        string key;
        await using (var scope = fixture.ScopeOf(Workspace, _owner))
        {
            key = (await scope.ServiceProvider.GetRequiredService<IApplicationDbContext>().Files.SingleAsync(f => f.Id == file.Id)).StorageKey;
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DeleteFileCommand(file.Id));
        }

        await using (var scope = fixture.ScopeOf(Workspace, _owner))
        {
            var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
            (await db.Files.AnyAsync(f => f.Id == file.Id)).Should().BeFalse();
            (await db.FileChunks.AnyAsync(c => c.FileId == file.Id)).Should().BeFalse();
        }

        File.Exists(Path.Combine(fixture.StoragePath, key[..2], key)).Should().BeFalse();
    }
}
