using Devana.Application.Files.Common;
using Devana.Application.Llm.Common;
using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.Files;

/// <summary>
/// Splits text into chunks of at most <see cref="FilesOptions.ChunkTokens"/> tokens, each repeating up to
/// <see cref="FilesOptions.ChunkOverlapTokens"/> tokens from the end of the one before.
/// </summary>
/// <remarks>
/// The text is cut into units of leading whitespace plus a word, which is how BPE tokenizers such as
/// o200k pre-split text, so the units' token counts add up to (about) the text's. A unit bigger than an
/// eighth of a chunk (a long run without spaces: CJK text, a base64 blob) is cut into slices of that size.
/// Chunks are packed greedily from units and start again a few units back for the overlap; each chunk's
/// stored count is the tokenizer's count of its own text.
/// </remarks>
internal sealed class TokenTextChunker(ITokenCounter tokens, IOptions<FilesOptions> options) : ITextChunker
{
    private readonly int _chunkTokens = options.Value.ChunkTokens;
    private readonly int _overlapTokens = options.Value.ChunkOverlapTokens;

    public IReadOnlyList<TextChunk> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var units = Units(text);
        var chunks = new List<TextChunk>();
        var start = 0;
        while (start < units.Count)
        {
            var end = start;
            var sum = 0;
            while (end < units.Count && (end == start || sum + units[end].Tokens <= _chunkTokens))
            {
                sum += units[end].Tokens;
                end++;
            }

            var from = units[start].Start;
            var to = units[end - 1].Start + units[end - 1].Length;
            var chunkText = text[from..to];
            chunks.Add(new TextChunk(from, chunkText, tokens.CountTokens(chunkText)));
            if (end == units.Count)
            {
                break;
            }

            // Step back over the last units while they fit the overlap; always move forward by at least one.
            var next = end;
            var carried = 0;
            while (next - 1 > start && carried + units[next - 1].Tokens <= _overlapTokens)
            {
                carried += units[next - 1].Tokens;
                next--;
            }

            start = next;
        }

        return chunks;
    }

    private List<Unit> Units(string text)
    {
        var sliceTokens = Math.Max(1, _chunkTokens / 8);
        var units = new List<Unit>();
        var i = 0;
        while (i < text.Length)
        {
            var begin = i;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            AddUnit(text, begin, i - begin, sliceTokens, units);
        }

        return units;
    }

    private void AddUnit(string text, int start, int length, int sliceTokens, List<Unit> units)
    {
        var count = tokens.CountTokens(text.Substring(start, length));
        if (count <= sliceTokens || length <= 1)
        {
            units.Add(new Unit(start, length, count));
            return;
        }

        // Slices sized by the unit's characters per token; each is counted again and cut further if needed.
        var sliceLength = Math.Max(1, (int)((long)length * sliceTokens / count));
        var end = start + length;
        var position = start;
        while (position < end)
        {
            var sliceEnd = Math.Min(end, position + sliceLength);
            if (sliceEnd < end && char.IsHighSurrogate(text[sliceEnd - 1]))
            {
                sliceEnd++;
            }

            var sliceCount = tokens.CountTokens(text[position..sliceEnd]);
            if (sliceCount > _chunkTokens && sliceEnd - position > 1)
            {
                AddUnit(text, position, sliceEnd - position, sliceTokens, units);
            }
            else
            {
                units.Add(new Unit(position, sliceEnd - position, sliceCount));
            }

            position = sliceEnd;
        }
    }

    private readonly record struct Unit(int Start, int Length, int Tokens);
}
