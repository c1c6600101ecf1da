using Devana.Application.Llm.Common;
using Devana.Infrastructure.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.IntegrationTests.Llm.Echo;

/// <summary>The built-in echo model, as a fresh installation (no configuration) gets it.</summary>
public sealed class EchoChatClientTests : IDisposable
{
    private readonly ServiceProvider _services =
        new ServiceCollection().AddLlm(new ConfigurationBuilder().Build()).BuildServiceProvider();

    private IChatClient Client => _services.GetRequiredService<ILlmClientProvider>().GetClient(
        _services.GetRequiredService<ILlmCatalog>().Find("echo")!);

    private ITokenCounter Tokens => _services.GetRequiredService<ITokenCounter>();

    public void Dispose() => _services.Dispose();

    private static List<ChatMessage> Ask(string text) =>
    [
        new(ChatRole.System, "Be nice."),
        new(ChatRole.User, "First question"),
        new(ChatRole.Assistant, "First answer"),
        new(ChatRole.User, text),
    ];

    [Fact]
    public async Task GetResponseAsync_Always_EchoesTheLastUserMessage()
    {
        var response = await Client.GetResponseAsync(Ask("How are you today?"));

        response.Text.Should().Be("Echo: How are you today?");
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
        response.ModelId.Should().Be("echo");
        response.Messages.Should().ContainSingle().Which.Role.Should().Be(ChatRole.Assistant);
    }

    [Fact]
    public async Task GetResponseAsync_CalledTwice_AnswersTheSame()
    {
        var first = await Client.GetResponseAsync(Ask("same words"));
        var second = await Client.GetResponseAsync(Ask("same words"));

        second.Text.Should().Be(first.Text);
        second.Usage!.TotalTokenCount.Should().Be(first.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_Always_ReportsUsageCountedByTheTokenizer()
    {
        var messages = Ask("Count these tokens please");

        var response = await Client.GetResponseAsync(messages);

        response.Usage!.InputTokenCount.Should().Be(Tokens.CountTokens(messages));
        response.Usage.OutputTokenCount.Should().Be(Tokens.CountTokens("Echo: Count these tokens please"));
        response.Usage.TotalTokenCount.Should().Be(response.Usage.InputTokenCount + response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Always_StreamsOneUpdatePerWordThenFinishReasonAndUsage()
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client.GetStreamingResponseAsync(Ask("one two  three")))
        {
            updates.Add(update);
        }

        updates.Where(u => u.Text.Length > 0).Select(u => u.Text).Should().Equal("Echo:", " one", " two", "  three");
        updates.Should().OnlyContain(u => u.Role == ChatRole.Assistant);
        updates[^1].FinishReason.Should().Be(ChatFinishReason.Stop);
        var usage = updates[^1].Contents.OfType<UsageContent>().Should().ContainSingle().Subject.Details;
        usage.OutputTokenCount.Should().Be(Tokens.CountTokens("Echo: one two  three"));
        updates.ToChatResponse().Text.Should().Be("Echo: one two  three");
    }

    [Fact]
    public async Task GetResponseAsync_WhenMaxTokensIsReached_StopsAtAWholeWordWithLength()
    {
        var response = await Client.GetResponseAsync(Ask("alpha beta gamma delta epsilon"), new ChatOptions { MaxOutputTokens = 4 });

        response.FinishReason.Should().Be(ChatFinishReason.Length);
        response.Text.Should().NotBeEmpty();
        "Echo: alpha beta gamma delta epsilon".Should().StartWith(response.Text);
        response.Text.Should().NotBe("Echo: alpha beta gamma delta epsilon");
        Tokens.CountTokens(response.Text).Should().BeLessThanOrEqualTo(4);
        response.Usage!.OutputTokenCount.Should().Be(Tokens.CountTokens(response.Text));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenMaxTokensIsReached_EndsWithLength()
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client.GetStreamingResponseAsync(Ask("alpha beta gamma delta epsilon"), new ChatOptions { MaxOutputTokens = 3 }))
        {
            updates.Add(update);
        }

        updates[^1].FinishReason.Should().Be(ChatFinishReason.Length);
        Tokens.CountTokens(updates.ToChatResponse().Text).Should().BeLessThanOrEqualTo(3);
    }

    [Fact]
    public async Task GetResponseAsync_WhenAStopSequenceOccurs_EndsBeforeItWithStop()
    {
        var response = await Client.GetResponseAsync(Ask("keep this STOP drop this"), new ChatOptions { StopSequences = ["drop", "STOP"] });

        response.Text.Should().Be("Echo: keep this");
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
    }

    [Fact]
    public async Task GetResponseAsync_WhenJsonIsAsked_AnswersAJsonObject()
    {
        var response = await Client.GetResponseAsync(Ask("say \"hi\""), new ChatOptions { ResponseFormat = ChatResponseFormat.Json });

        System.Text.Json.JsonDocument.Parse(response.Text).RootElement.GetProperty("echo").GetString().Should().Be("say \"hi\"");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenCancelled_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();

        var act = async () =>
        {
            await foreach (var update in Client.GetStreamingResponseAsync(Ask("a b c d e f"), cancellationToken: cancellation.Token))
            {
                await cancellation.CancelAsync();
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
    }
}
