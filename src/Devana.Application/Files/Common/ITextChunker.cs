namespace Devana.Application.Files.Common;

/// <summary>Splits extracted text into token-sized, overlapping chunks.</summary>
public interface ITextChunker
{
    /// <summary>
    /// Chunks that tile <paramref name="text"/> in order: the first starts at 0, each next one starts inside
    /// the one before (the overlap) and the last ends at the end. Empty for empty text.
    /// </summary>
    IReadOnlyList<TextChunk> Split(string text);
}

/// <param name="Start">Offset of <paramref name="Text"/> in the whole text, in characters.</param>
/// <param name="Text">The chunk's text, exactly as it appears in the whole text.</param>
/// <param name="TokenCount">Its tokens.</param>
public sealed record TextChunk(int Start, string Text, int TokenCount);
