using Devana.Infrastructure.Files;

namespace Devana.Infrastructure.IntegrationTests.Files;

public sealed class Bm25RankerTests
{
    private static readonly Bm25Ranker s_ranker = new();

    private static IReadOnlyList<double> Score(string query, params string[] documents) => s_ranker.Score(query, documents);

    [Fact]
    public void Score_MatchesTheBm25FormulaWithLuceneIdf()
    {
        var scores = Score("cherry", "apple banana", "apple cherry cherry", "durian");

        // N = 3, n = 1; lengths 2, 3, 1 (average 2); f = 2 in the second document.
        var idf = Math.Log(1 + ((3 - 1 + 0.5) / (1 + 0.5)));
        var expected = idf * (2 * (Bm25Ranker.K1 + 1)) / (2 + (Bm25Ranker.K1 * (1 - Bm25Ranker.B + (Bm25Ranker.B * 3 / 2.0))));
        scores.Should().HaveCount(3);
        scores[0].Should().Be(0);
        scores[1].Should().BeApproximately(expected, 1e-12);
        scores[2].Should().Be(0);
    }

    [Fact]
    public void Score_ARareTermWeighsMoreThanACommonOne()
    {
        var scores = Score(
            "invoice zanzibar",
            "invoice number one for the client",
            "invoice number two for the client",
            "invoice number three, shipped to zanzibar",
            "invoice number four for the client");

        scores[2].Should().BeGreaterThan(scores[0]);
        scores[0].Should().BeApproximately(scores[1], 1e-12);
        scores[0].Should().BeGreaterThan(0, "a common term still counts a little");
    }

    [Fact]
    public void Score_RepeatsAddLessAndLess()
    {
        var scores = Score("llama", "llama alpaca alpaca alpaca alpaca", "llama llama alpaca alpaca alpaca", "llama llama llama llama llama", "vicuna vicuna vicuna vicuna vicuna");

        scores[1].Should().BeGreaterThan(scores[0]);
        scores[2].Should().BeGreaterThan(scores[1]);
        (scores[2] / scores[0]).Should().BeLessThan(Bm25Ranker.K1 + 1, "term frequency saturates at k1 + 1 times a single occurrence");
    }

    [Fact]
    public void Score_AShorterChunkWithTheSameCountRanksHigher()
    {
        var scores = Score("budget", "the budget", "the budget was discussed at length in the meeting with everyone present", "nothing here");

        scores[0].Should().BeGreaterThan(scores[1]);
    }

    [Fact]
    public void Score_IgnoresCaseDiacriticsAndPunctuation()
    {
        var scores = Score("CAFÉ Crème?", "a cafe creme, please", "tea");

        scores[0].Should().BeGreaterThan(0);
        scores[1].Should().Be(0);
    }

    [Fact]
    public void Score_DropsStopWordsFromTheQuery()
    {
        var scores = Score("What is the price of the deluxe plan?", "what is the plan of the day is the question", "the deluxe price is 40 EUR", "nothing");

        scores[1].Should().BeGreaterThan(scores[0]);
    }

    [Fact]
    public void Score_MatchesIdeographsOneByOne()
    {
        var scores = Score("東京", "我住在東京", "我住在大阪");

        scores[0].Should().BeGreaterThan(0);
        scores[1].Should().Be(0);
    }

    [Fact]
    public void Score_WhenNothingMatches_IsZeroEverywhere()
    {
        Score("quantum", "apple", "banana").Should().Equal(0, 0);
        Score(string.Empty, "apple").Should().Equal(0);
        Score("?!", "apple").Should().Equal(0);
        Score("apple").Should().BeEmpty();
        Score("apple", string.Empty, string.Empty).Should().Equal(0, 0);
    }
}
