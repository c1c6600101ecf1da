using System.Text.Json;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.IntegrationTests.Llm.Fakes;
using Microsoft.AspNetCore.Http;

namespace Devana.Infrastructure.IntegrationTests.Llm.Clients.Ollama;

/// <summary>The Ollama provider, through OllamaSharp, against <see cref="OllamaWire"/> (a key: as ollama.com's API or a proxy wants it).</summary>
public sealed class OllamaChatClientTests : UpstreamChatClientTestsBase
{
    protected override LlmProviderType ProviderType => LlmProviderType.Ollama;

    protected override string UpstreamModel => "llama-upstream:8b";

    protected override string BaseUrl(Uri root) => root.ToString().TrimEnd('/');

    protected override UpstreamWire CreateWire(string apiKey) => new OllamaWire(apiKey);

    [Fact]
    public async Task GetResponseAsync_WithOptions_SendsModelSamplingLimitStopAndMessages()
    {
        Fake.Respond(context => WriteAnswerAsync(context, "Hello there", "stop", 12, 3));

        await Client().GetResponseAsync(Conversation(), SamplingOptions());

        var request = Fake.Requests.Should().ContainSingle().Subject;
        request.Header("Authorization").Should().Be($"Bearer {ApiKey}");
        var body = request.Json;
        body.GetProperty("model").GetString().Should().Be("llama-upstream:8b");
        body.GetProperty("stream").GetBoolean().Should().BeFalse();
        var options = body.GetProperty("options");
        options.GetProperty("temperature").GetDouble().Should().BeApproximately(0.3, 1e-6);
        options.GetProperty("top_p").GetDouble().Should().BeApproximately(0.9, 1e-6);
        options.GetProperty("num_predict").GetInt32().Should().Be(64);
        options.GetProperty("stop").EnumerateArray().Select(s => s.GetString()).Should().Equal("END", "STOP");
        body.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString()))
            .Should().Equal(("system", "You are terse."), ("user", "Hi"), ("assistant", "Hello."), ("user", "Say hello there"));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Always_AsksForAStream()
    {
        Fake.Respond(context => WriteStreamAsync(context, ["Hi"], "stop", 1, 1));

        await CollectAsync(Client().GetStreamingResponseAsync(Conversation()));

        Fake.Requests.Should().ContainSingle().Subject.Json.GetProperty("stream").GetBoolean().Should().BeTrue();
    }

    protected override void AssertAskedForJson(ReceivedRequest request) =>
        request.Json.GetProperty("format").GetString().Should().Be("json");
}
