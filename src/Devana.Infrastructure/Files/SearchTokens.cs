using System.Globalization;
using System.Text;

namespace Devana.Infrastructure.Files;

/// <summary>
/// The terms BM25 matches on: runs of letters and digits, lower-cased (invariant culture) and with their
/// diacritics removed, so <c>Café</c>, <c>CAFE</c> and <c>café</c> are one term. Chinese, Japanese kana and
/// ideographs are written without spaces, so each of their characters is a term of its own.
/// </summary>
internal static class SearchTokens
{
    // Function words that say nothing about what a question is about. Only queries lose them; documents
    // keep every term so that their lengths stay true.
    private static readonly HashSet<string> s_stopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does",
        "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of",
        "on", "or", "our", "please", "should", "so", "tell", "than", "that", "the", "their", "them", "then", "there",
        "these", "they", "this", "those", "to", "was", "we", "were", "what", "when", "where", "which", "who", "whom",
        "why", "will", "with", "would", "you", "your",
    };

    public static List<string> Tokenize(string text)
    {
        var terms = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsSpacelessScript(rune))
            {
                Emit(word, terms);
                terms.Add(rune.ToString());
            }
            else if (Rune.IsLetterOrDigit(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                word.Append(rune.ToString());
            }
            else
            {
                Emit(word, terms);
            }
        }

        Emit(word, terms);
        return terms;
    }

    /// <summary>The distinct terms of a query, without stop words (unless nothing else is left).</summary>
    public static IReadOnlyList<string> QueryTerms(string query)
    {
        var terms = Tokenize(query).Distinct(StringComparer.Ordinal).ToList();
        var meaningful = terms.Where(t => !s_stopWords.Contains(t)).ToList();
        return meaningful.Count > 0 ? meaningful : terms;
    }

    private static void Emit(StringBuilder word, List<string> terms)
    {
        if (word.Length == 0)
        {
            return;
        }

        terms.Add(Fold(word.ToString()));
        word.Clear();
    }

    private static string Fold(string word)
    {
        var lower = word.ToLowerInvariant();
        if (lower.All(char.IsAscii))
        {
            return lower;
        }

        var decomposed = lower.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark))
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    private static bool IsSpacelessScript(Rune rune) => rune.Value is
        (>= 0x3040 and <= 0x30FF) // Hiragana, Katakana
        or (>= 0x3400 and <= 0x4DBF) // CJK Extension A
        or (>= 0x4E00 and <= 0x9FFF) // CJK Unified Ideographs
        or (>= 0xF900 and <= 0xFAFF) // CJK Compatibility Ideographs
        or (>= 0x20000 and <= 0x2FA1F); // CJK Extensions B–F and supplements
}
