namespace Devana.Domain.Files;

/// <summary>
/// A token-sized, overlapping piece of a file's extracted text, the unit retrieval ranks.
/// <see cref="Start"/> is the offset of <see cref="Text"/> in the whole text, so that the whole text can be
/// rebuilt from the chunks (see <see cref="StoredFile.RebuildText"/>).
/// </summary>
public sealed class FileChunk
{
    private FileChunk()
    {
    }

    public string FileId { get; private set; } = null!;

    /// <summary>0-based position in the file.</summary>
    public int Index { get; private set; }

    /// <summary>Offset (in characters) of <see cref="Text"/> in the file's extracted text.</summary>
    public int Start { get; private set; }

    public string Text { get; private set; } = null!;

    public int TokenCount { get; private set; }

    public int End => Start + Text.Length;

    internal static FileChunk Create(string fileId, int index, int start, string text, int tokenCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentException.ThrowIfNullOrEmpty(text);
        ArgumentOutOfRangeException.ThrowIfNegative(tokenCount);
        return new FileChunk { FileId = fileId, Index = index, Start = start, Text = text, TokenCount = tokenCount };
    }
}
