namespace Devana.Application.Files.Common;

/// <summary>Ranks pieces of text by relevance to a query.</summary>
public interface IChunkRanker
{
    /// <summary>
    /// One score per document, in the order given: higher is more relevant, 0 means no query term occurs.
    /// Scores compare only within one call (statistics are over <paramref name="documents"/>).
    /// </summary>
    IReadOnlyList<double> Score(string query, IReadOnlyList<string> documents);
}
