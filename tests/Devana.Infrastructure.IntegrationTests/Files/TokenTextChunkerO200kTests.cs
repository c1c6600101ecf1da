using System.Text;
using Devana.Application.Files.Common;
using Devana.Domain.Files;
using Devana.Infrastructure.Files;
using Devana.Infrastructure.Llm.Tokenization;
using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.IntegrationTests.Files;

/// <summary>
/// The chunker with the tokenizer it runs with in production (o200k_base), on the kinds of text uploads hold:
/// prose, Markdown with code, text without spaces (CJK), a base64 blob, emoji and odd whitespace. The word and
/// character counters of <see cref="TokenTextChunkerTests"/> only approximate how BPE splits text.
/// </summary>
public sealed class TokenTextChunkerO200kTests
{
    private static readonly TiktokenTokenCounter s_o200k = new();

    private static TokenTextChunker Chunker(int size, int overlap) =>
        new(s_o200k, Options.Create(new FilesOptions { ChunkTokens = size, ChunkOverlapTokens = overlap }));

    public static TheoryData<string, string> Texts() => new()
    {
        { "prose", Prose(400) },
        { "markdown with code", Markdown(40) },
        { "CJK without spaces", string.Concat(Enumerable.Repeat("東京は日本の首都であり、世界最大の都市圏の一つです。人口は約千四百万人です。", 40)) },
        { "base64 blob", Convert.ToBase64String(Enumerable.Range(0, 6000).Select(i => (byte)(i * 7919 % 251)).ToArray()) },
        { "emoji and symbols", string.Concat(Enumerable.Repeat("Launch 🚀 day ✅ — costs €1,234.56 (≈ $1 337) → ok 👍🏽\n", 60)) },
        { "odd whitespace", string.Concat(Enumerable.Range(0, 300).Select(i => $"w{i}" + (i % 7 == 0 ? "\n\n\t  " : i % 3 == 0 ? "   " : " "))) },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Split_WithO200k_TilesTheText_KeepsEachChunkWithinTheSize_AndStoresItsRealCount(string kind, string text)
    {
        foreach (var (size, overlap) in new[] { (50, 10), (200, 40), (512, 64) })
        {
            var chunks = Chunker(size, overlap).Split(text);

            chunks.Should().NotBeEmpty(kind);
            chunks.Should().OnlyContain(c => c.TokenCount == s_o200k.CountTokens(c.Text), $"{kind}: a chunk's stored count is o200k's count of its text");
            chunks.Should().OnlyContain(c => c.TokenCount <= size, $"{kind}: no chunk is over {size} tokens");
            ShouldTile(chunks, text);
            for (var i = 1; i < chunks.Count; i++)
            {
                chunks[i].Start.Should().BeGreaterThan(chunks[i - 1].Start, $"{kind}: every chunk moves forward");
                chunks[i].Start.Should().BeLessThanOrEqualTo(chunks[i - 1].Start + chunks[i - 1].Text.Length, $"{kind}: no gap between chunks");
                var repeated = chunks[i - 1].Start + chunks[i - 1].Text.Length - chunks[i].Start;
                s_o200k.CountTokens(text.Substring(chunks[i].Start, repeated)).Should().BeLessThanOrEqualTo(overlap + 2, $"{kind}: the overlap is about {overlap} tokens");
            }

            // Units (a word with its leading space, or a slice of at most an eighth of a chunk) are never split, so
            // a chunk can fall short of the size by one unit: each chunk brings at least size - overlap - size/8 new tokens.
            var total = s_o200k.CountTokens(text);
            chunks.Count.Should().BeLessThanOrEqualTo((int)Math.Ceiling(total / (double)(size - overlap - (size / 8))) + 2, $"{kind}: chunks are packed, not cut short ({total} tokens)");
        }
    }

    [Fact]
    public void Split_WithO200k_PacksProseCloseToTheSize()
    {
        var chunks = Chunker(100, 0).Split(Prose(300));

        chunks.Take(chunks.Count - 1).Should().OnlyContain(c => c.TokenCount >= 90, "whole chunks of prose are filled to within a few tokens of the size");
    }

    private static void ShouldTile(IReadOnlyList<TextChunk> chunks, string text)
    {
        var file = StoredFile.Upload("ws", "usr", "a.txt", "text/plain", 1, new string('0', 64), "0123456789abcdef0123456789abcdef", DateTimeOffset.UnixEpoch);
        file.CompleteProcessing(text.Length, s_o200k.CountTokens(text), chunks.Select(c => (c.Start, c.Text, c.TokenCount)).ToList());
        StoredFile.RebuildText(file.Chunks).Should().Be(text);
        chunks.Should().OnlyContain(c => text.Substring(c.Start, c.Text.Length) == c.Text);
    }

    private static string Prose(int sentences)
    {
        string[] subjects = ["The committee", "Our supplier", "A new intern", "The quarterly report", "Marmalade the cat"];
        string[] verbs = ["reviewed", "postponed", "approved", "questioned", "summarised"];
        string[] objects = ["the budget for next year", "an unexpected invoice", "the onboarding checklist", "three overdue tickets", "the office seating plan"];
        var text = new StringBuilder();
        for (var i = 0; i < sentences; i++)
        {
            text.Append(subjects[i % 5]).Append(' ').Append(verbs[i * 3 % 5]).Append(' ').Append(objects[i * 7 % 5]).Append(i % 9 == 8 ? ".\n\n" : ". ");
        }

        return text.ToString();
    }

    private static string Markdown(int sections)
    {
        var text = new StringBuilder();
        for (var i = 0; i < sections; i++)
        {
            text.Append("## Step ").Append(i).Append("\n\nRun the migration, then check the logs:\n\n```csharp\nvar total = orders.Where(o => o.Id > ")
                .Append(i).Append(").Sum(o => o.Amount * 1.2m);\nConsole.WriteLine($\"{total:N2}\");\n```\n\n- item one\n- item `two`\n\n");
        }

        return text.ToString();
    }
}
