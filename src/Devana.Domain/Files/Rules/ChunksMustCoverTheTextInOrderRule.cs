using Devana.Domain.Common;

namespace Devana.Domain.Files.Rules;

/// <summary>The chunks must tile the text in order: each starts inside or at the end of the one before, the first at 0.</summary>
public sealed class ChunksMustCoverTheTextInOrderRule(IReadOnlyList<(int Start, string Text, int TokenCount)> chunks, int textLength) : IBusinessRule
{
    public bool IsBroken()
    {
        if (chunks.Count == 0 || chunks[0].Start != 0)
        {
            return true;
        }

        var end = 0;
        foreach (var (start, text, _) in chunks)
        {
            if (start > end || start + text.Length <= end || string.IsNullOrEmpty(text))
            {
                return true;
            }

            end = start + text.Length;
        }

        return end != textLength;
    }

    public string Message => "The chunks do not cover the extracted text in order.";
}
