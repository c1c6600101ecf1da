using System.Text.RegularExpressions;
using Devana.Application.Files.Common;
using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.Files;

/// <summary>
/// Keeps each file's bytes in one file under <c>Devana:Files:StoragePath</c>, named by a random key
/// (<c>ab/abcdef…</c>, 32 hex digits, fanned out by its first two). Writes go to a <c>.partial</c> file that is
/// renamed when complete, so a half-written upload is never readable under its key.
/// </summary>
internal sealed partial class LocalFileStorage(IOptions<FilesOptions> options) : IFileStorage
{
    private const int BufferSize = 81920;
    private readonly string _root = Path.GetFullPath(options.Value.StoragePath);

    public async Task<string> SaveAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var key = Guid.NewGuid().ToString("N");
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, BufferSize, cancellationToken);
                await file.FlushAsync(cancellationToken);
            }

            File.Move(partial, path);
            return key;
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No stored object has the key '{key}'.");
        }

        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult(stream);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    /// <summary>Where <paramref name="key"/> lives; a key this storage did not make is refused, so no path can escape the root.</summary>
    internal string PathOf(string key)
    {
        if (key is null || !KeyPattern().IsMatch(key))
        {
            throw new ArgumentException("Not a storage key.", nameof(key));
        }

        return Path.Combine(_root, key[..2], key);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover .partial file is never read.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    [GeneratedRegex("^[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
