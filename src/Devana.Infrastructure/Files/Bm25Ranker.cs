using Devana.Application.Files.Common;

namespace Devana.Infrastructure.Files;

/// <summary>
/// Okapi BM25 over the candidate chunks: for each distinct query term <c>q</c>,
/// <c>IDF(q) · f·(k1 + 1) / (f + k1·(1 − b + b·|D|/avgdl))</c>, where <c>f</c> is the term's count in the
/// chunk, <c>|D|</c> the chunk's length in terms and <c>avgdl</c> the candidates' average length.
/// <c>IDF(q) = ln(1 + (N − n + 0.5) / (n + 0.5))</c> (Lucene's form, never negative), with <c>N</c> the number of
/// candidates and <c>n</c> how many contain <c>q</c>. Terms are those of <see cref="SearchTokens"/>.
/// </summary>
internal sealed class Bm25Ranker : IChunkRanker
{
    /// <summary>How fast repeated occurrences stop adding to the score.</summary>
    public const double K1 = 1.2;

    /// <summary>How much a long chunk is penalised for its length (0 none, 1 fully).</summary>
    public const double B = 0.75;

    public IReadOnlyList<double> Score(string query, IReadOnlyList<string> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var scores = new double[documents.Count];
        var queryTerms = SearchTokens.QueryTerms(query ?? string.Empty);
        if (queryTerms.Count == 0 || documents.Count == 0)
        {
            return scores;
        }

        var wanted = queryTerms.ToHashSet(StringComparer.Ordinal);
        var lengths = new int[documents.Count];
        var frequencies = new Dictionary<string, int>?[documents.Count];
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var d = 0; d < documents.Count; d++)
        {
            var terms = SearchTokens.Tokenize(documents[d] ?? string.Empty);
            lengths[d] = terms.Count;
            foreach (var term in terms)
            {
                if (!wanted.Contains(term))
                {
                    continue;
                }

                var counts = frequencies[d] ??= new Dictionary<string, int>(StringComparer.Ordinal);
                if (counts.TryGetValue(term, out var count))
                {
                    counts[term] = count + 1;
                }
                else
                {
                    counts[term] = 1;
                    documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
                }
            }
        }

        var averageLength = lengths.Average();
        if (averageLength <= 0)
        {
            return scores;
        }

        double n = documents.Count;
        foreach (var term in queryTerms)
        {
            if (!documentFrequency.TryGetValue(term, out var containing))
            {
                continue;
            }

            var idf = Math.Log(1 + ((n - containing + 0.5) / (containing + 0.5)));
            for (var d = 0; d < documents.Count; d++)
            {
                if (frequencies[d] is { } counts && counts.TryGetValue(term, out var f))
                {
                    scores[d] += idf * (f * (K1 + 1)) / (f + (K1 * (1 - B + (B * lengths[d] / averageLength))));
                }
            }
        }

        return scores;
    }
}
