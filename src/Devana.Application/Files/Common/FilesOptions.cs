namespace Devana.Application.Files.Common;

/// <summary>The <c>Devana:Files</c> settings (docs/files.md#configuration), checked at start-up by <see cref="FilesOptionsValidator"/>.</summary>
public sealed class FilesOptions
{
    public const string Section = "Devana:Files";

    /// <summary>Where the local storage keeps the bytes; relative paths are from the working directory.</summary>
    public string StoragePath { get; set; } = "data/files";

    /// <summary>The largest file accepted, in bytes: 25 MiB.</summary>
    public long MaxBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>Tokens per chunk of extracted text, the unit retrieval ranks.</summary>
    public int ChunkTokens { get; set; } = 400;

    /// <summary>Tokens each chunk repeats from the end of the one before, so that no passage is cut in two.</summary>
    public int ChunkOverlapTokens { get; set; } = 60;

    /// <summary>
    /// The most text one file may yield, in characters. It stops decompression bombs (a small PDF or DOCX
    /// that expands to gigabytes); a file over it is kept with status <c>failed</c>.
    /// </summary>
    public int MaxTextCharacters { get; set; } = 10_000_000;

}
