using System.Text.Json;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.IntegrationTests.Llm.Fakes;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.IntegrationTests.Llm.Clients.Anthropic;

/// <summary>The Anthropic provider, through the official SDK, against <see cref="AnthropicWire"/>.</summary>
public sealed class AnthropicChatClientTests : UpstreamChatClientTestsBase
{
    protected override LlmProviderType ProviderType => LlmProviderType.Anthropic;

    protected override string UpstreamModel => "claude-upstream";

    protected override string BaseUrl(Uri root) => root.ToString();

    protected override UpstreamWire CreateWire(string apiKey) => new AnthropicWire(apiKey);

    [Fact]
    public async Task GetResponseAsync_Always_SendsTheKeyInXApiKeyAndTheDefaultVersion()
    {
        Fake.Respond(context => WriteAnswerAsync(context, "Hello there", "end_turn", 12, 3));

        await Client().GetResponseAsync(Conversation());

        var request = Fake.Requests.Should().ContainSingle().Subject;
        request.Header("x-api-key").Should().Be(ApiKey);
        request.Header("anthropic-version").Should().Be("2023-06-01");
        request.Header("Authorization").Should().BeNull("the key travels once, in the documented header");
        request.Header("Content-Type").Should().StartWith("application/json");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Always_SendsTheKeyInXApiKeyAndAsksForAStream()
    {
        Fake.Respond(context => WriteStreamAsync(context, ["Hi"], "end_turn", 1, 1));

        await CollectAsync(Client().GetStreamingResponseAsync(Conversation()));

        var request = Fake.Requests.Should().ContainSingle().Subject;
        request.Refusal.Should().BeNull();
        request.Header("x-api-key").Should().Be(ApiKey);
        request.Header("anthropic-version").Should().Be("2023-06-01");
        request.Json.GetProperty("stream").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task GetResponseAsync_WithOptions_SendsModelSamplingLimitStopSystemAndMessages()
    {
        Fake.Respond(context => WriteAnswerAsync(context, "Hello there", "end_turn", 12, 3));

        await Client().GetResponseAsync(Conversation(), SamplingOptions());

        var body = Fake.Requests.Should().ContainSingle().Subject.Json;
        body.GetProperty("model").GetString().Should().Be("claude-upstream");
        body.GetProperty("temperature").GetDouble().Should().BeApproximately(0.3, 1e-6);
        body.GetProperty("top_p").GetDouble().Should().BeApproximately(0.9, 1e-6);
        body.GetProperty("max_tokens").GetInt32().Should().Be(64);
        body.GetProperty("stop_sequences").EnumerateArray().Select(s => s.GetString()).Should().Equal("END", "STOP");
        Text(body.GetProperty("system")).Should().Be("You are terse.");
        body.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), Text(m.GetProperty("content"))))
            .Should().Equal(("user", "Hi"), ("assistant", "Hello."), ("user", "Say hello there"));
    }

    [Fact]
    public async Task GetResponseAsync_WithApiVersion20261021_SendsThatVersionAndLeavesOutTheSamplingParametersItRefuses()
    {
        var services = BuildServices(BaseUrl(Fake.Root), ApiKey, new Dictionary<string, string?> { ["ApiVersion"] = "2026-10-21" });
        Fake.Respond(context => WriteAnswerAsync(context, "Hello there", "end_turn", 12, 3));

        var response = await Client(services).GetResponseAsync(Conversation(), SamplingOptions());

        response.Text.Should().Be("Hello there");
        var request = Fake.Requests.Should().ContainSingle().Subject;
        request.Refusal.Should().BeNull();
        request.Header("anthropic-version").Should().Be("2026-10-21");
        request.Json.TryGetProperty("temperature", out _).Should().BeFalse();
        request.Json.TryGetProperty("top_p", out _).Should().BeFalse();
        request.Json.GetProperty("max_tokens").GetInt32().Should().Be(64);
    }

    [Fact]
    public async Task GetResponseAsync_WithoutMaxTokens_SendsTheModelsOutputLimit()
    {
        Fake.Respond(context => WriteAnswerAsync(context, "Hello there", "end_turn", 12, 3));

        await Client().GetResponseAsync(Conversation());

        var body = Fake.Requests.Should().ContainSingle().Subject.Json;
        body.GetProperty("max_tokens").GetInt32().Should().Be(1000);
        body.TryGetProperty("temperature", out _).Should().BeFalse();
    }

    [Fact]
    public async Task GetResponseAsync_WhenUpstreamStopsAtASequence_ReportsStop()
    {
        Fake.Respond(context => WriteAnswerAsync(context, "Hello", "stop_sequence", 12, 1));

        var response = await Client().GetResponseAsync(Conversation(), SamplingOptions());

        response.FinishReason.Should().Be(ChatFinishReason.Stop);
    }

    [Fact]
    public async Task GetResponseAsync_When529Overloaded_RetriesThenAnswers()
    {
        Fake.Respond(
            context => WriteErrorAsync(context, 529, "Overloaded"),
            context => WriteAnswerAsync(context, "Hello there", "end_turn", 12, 3));

        var response = await Client().GetResponseAsync(Conversation());

        response.Text.Should().Be("Hello there");
        Fake.Requests.Should().HaveCount(2);
    }

    protected override void AssertAskedForJson(ReceivedRequest request) =>
        Text(request.Json.GetProperty("system")).Should().Contain("valid JSON object");

    private static string? Text(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()
        : string.Concat(content.EnumerateArray().Select(part => part.GetProperty("text").GetString()));
}
