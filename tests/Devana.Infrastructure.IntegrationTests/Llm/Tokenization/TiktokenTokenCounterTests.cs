using Devana.Infrastructure.Llm.Tokenization;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.IntegrationTests.Llm.Tokenization;

public sealed class TiktokenTokenCounterTests
{
    private static readonly TiktokenTokenCounter s_counter = new();

    [Theory]
    [InlineData("", 0)]
    [InlineData("hello", 1)]
    [InlineData("hello world", 2)]
    public void CountTokens_OfText_CountsO200kBaseTokens(string text, int expected) =>
        s_counter.CountTokens(text).Should().Be(expected);

    [Fact]
    public void CountTokens_OfLongerText_CountsFewerTokensThanCharacters()
    {
        var text = string.Join(' ', Enumerable.Repeat("The quick brown fox jumps over the lazy dog.", 20));

        var count = s_counter.CountTokens(text);

        count.Should().BeInRange(text.Length / 8, text.Length / 2);
    }

    [Fact]
    public void CountTokens_OfMessages_AddsTheFramingOfEachMessageAndTheReply()
    {
        ChatMessage[] messages = [new(ChatRole.System, "hello"), new(ChatRole.User, "hello world")];

        var count = s_counter.CountTokens(messages);

        // system: 3 + "system" (1) + "hello" (1); user: 3 + "user" (1) + "hello world" (2); reply priming: 3.
        count.Should().Be(5 + 6 + 3);
    }

    [Fact]
    public async Task Preload_LoadsTheVocabularyOnceForEveryCounter()
    {
        await TiktokenTokenCounter.Preload();

        // Loaded: a second preload has nothing left to do, and a counter made afterwards counts at once.
        TiktokenTokenCounter.Preload().IsCompleted.Should().BeTrue();
        new TiktokenTokenCounter().CountTokens("hello world").Should().Be(2);
    }

    [Fact]
    public async Task TokenizerPreload_StartsTheLoadAndDoesNotHoldUpTheHost()
    {
        var preload = new TokenizerPreload();

        var start = preload.StartAsync(CancellationToken.None);

        start.IsCompleted.Should().BeTrue();
        await TiktokenTokenCounter.Preload();
        s_counter.CountTokens("hello").Should().Be(1);
    }

    [Fact]
    public void CountTokens_OfNoMessages_IsZero() =>
        s_counter.CountTokens(Array.Empty<ChatMessage>()).Should().Be(0);
}
