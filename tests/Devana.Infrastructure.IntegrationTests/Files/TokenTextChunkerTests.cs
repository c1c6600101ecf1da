using Devana.Application.Files.Common;
using Devana.Application.Llm.Common;
using Devana.Domain.Files;
using Devana.Infrastructure.Files;
using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.IntegrationTests.Files;

public sealed class TokenTextChunkerTests
{
    private static TokenTextChunker Chunker(int size, int overlap, ITokenCounter? counter = null) =>
        new(counter ?? new WordTokenCounter(), Options.Create(new FilesOptions { ChunkTokens = size, ChunkOverlapTokens = overlap }));

    private static string Words(int count) => string.Join(' ', Enumerable.Range(1, count).Select(i => $"w{i}"));

    /// <summary>Chunks must tile the text exactly; the domain checks it and rebuilds the text from them.</summary>
    private static void ShouldTile(IReadOnlyList<TextChunk> chunks, string text)
    {
        var file = StoredFile.Upload("ws", "usr", "a.txt", "text/plain", 1, new string('0', 64), "0123456789abcdef0123456789abcdef", DateTimeOffset.UnixEpoch);
        file.CompleteProcessing(text.Length, 0, chunks.Select(c => (c.Start, c.Text, c.TokenCount)).ToList());
        StoredFile.RebuildText(file.Chunks).Should().Be(text);
        chunks.Should().OnlyContain(c => text.Substring(c.Start, c.Text.Length) == c.Text);
    }

    [Fact]
    public void Split_MakesChunksOfAtMostTheSizeThatOverlapByTheOverlap()
    {
        var text = Words(100);

        var chunks = Chunker(size: 10, overlap: 3).Split(text);

        chunks.Should().OnlyContain(c => c.TokenCount <= 10);
        chunks.Take(chunks.Count - 1).Should().OnlyContain(c => c.TokenCount == 10);
        for (var i = 1; i < chunks.Count; i++)
        {
            var previousWords = chunks[i - 1].Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var words = chunks[i].Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            words.Take(3).Should().Equal(previousWords.TakeLast(3), "each chunk repeats the last 3 tokens of the one before");
        }

        chunks.Should().HaveCount(14, "the first chunk takes 10 words and each next one 7 new words: 10 + 13 × 7 ≥ 100");
        ShouldTile(chunks, text);
    }

    [Fact]
    public void Split_WithoutOverlap_TilesWithoutRepeating()
    {
        var text = "  leading space\n\nand paragraphs   with   gaps \n";

        var chunks = Chunker(size: 2, overlap: 0).Split(text);

        chunks.Sum(c => c.TokenCount).Should().Be(6);
        ShouldTile(chunks, text);
    }

    [Fact]
    public void Split_CutsARunWithoutSpacesIntoSlices()
    {
        var text = new string('字', 1000) + " tail";

        var chunks = Chunker(size: 40, overlap: 8, new CharacterTokenCounter()).Split(text);

        chunks.Should().HaveCountGreaterThan(1);
        chunks.Should().OnlyContain(c => c.TokenCount <= 40);
        ShouldTile(chunks, text);
    }

    [Fact]
    public void Split_DoesNotCutASurrogatePair()
    {
        var text = "a" + string.Concat(Enumerable.Repeat("😀", 300));

        var chunks = Chunker(size: 16, overlap: 4, new CharacterTokenCounter()).Split(text);

        chunks.Should().OnlyContain(c => !char.IsLowSurrogate(c.Text[0]) && !char.IsHighSurrogate(c.Text[c.Text.Length - 1]));
        ShouldTile(chunks, text);
    }

    [Fact]
    public void Split_WhenTextIsShort_GivesOneChunk()
    {
        var chunks = Chunker(size: 10, overlap: 3).Split("just a few words");

        chunks.Should().ContainSingle().Which.Should().Be(new TextChunk(0, "just a few words", 4));
    }

    [Fact]
    public void Split_WhenTextIsEmpty_GivesNoChunk() =>
        Chunker(size: 10, overlap: 3).Split(string.Empty).Should().BeEmpty();
}
