using System.Text.Json;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.IntegrationTests.Llm.Fakes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.IntegrationTests.Llm.Clients.OpenAI;

/// <summary>The OpenAI-compatible provider, through the OpenAI SDK, against <see cref="OpenAIWire"/>.</summary>
public sealed class OpenAIChatClientTests : UpstreamChatClientTestsBase
{
    protected override LlmProviderType ProviderType => LlmProviderType.OpenAI;

    protected override string UpstreamModel => "gpt-upstream";

    protected override string BaseUrl(Uri root) => new Uri(root, "v1").ToString();

    protected override UpstreamWire CreateWire(string apiKey) => new OpenAIWire(apiKey);

    [Fact]
    public async Task GetResponseAsync_WithOptions_SendsModelSamplingLimitStopAndMessages()
    {
        Fake.Respond(context => WriteAnswerAsync(context, "Hello there", "stop", 12, 3));

        await Client().GetResponseAsync(Conversation(), SamplingOptions());

        var request = Fake.Requests.Should().ContainSingle().Subject;
        request.Header("Authorization").Should().Be($"Bearer {ApiKey}");
        var body = request.Json;
        body.GetProperty("model").GetString().Should().Be("gpt-upstream");
        body.GetProperty("temperature").GetDouble().Should().BeApproximately(0.3, 1e-6);
        body.GetProperty("top_p").GetDouble().Should().BeApproximately(0.9, 1e-6);
        body.GetProperty("max_completion_tokens").GetInt32().Should().Be(64);
        body.GetProperty("stop").EnumerateArray().Select(s => s.GetString()).Should().Equal("END", "STOP");
        body.TryGetProperty("stream", out var stream).Should().BeFalse(stream.ToString());
        body.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), Text(m.GetProperty("content"))))
            .Should().Equal(("system", "You are terse."), ("user", "Hi"), ("assistant", "Hello."), ("user", "Say hello there"));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Always_AsksForAStreamWithUsage()
    {
        Fake.Respond(context => WriteStreamAsync(context, ["Hi"], "stop", 1, 1));

        await CollectAsync(Client().GetStreamingResponseAsync(Conversation()));

        var body = Fake.Requests.Should().ContainSingle().Subject.Json;
        body.GetProperty("stream").GetBoolean().Should().BeTrue();
        body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task GetResponseAsync_WhenProviderHasNoKey_SendsNoAuthorizationHeader()
    {
        // A server started without a key (vLLM, llama.cpp, LM Studio) checks none.
        await using var keyless = await FakeUpstream.StartAsync(new OpenAIWire(apiKey: null));
        var services = BuildServices(BaseUrl(keyless.Root), apiKey: null);
        keyless.Respond(context => WriteAnswerAsync(context, "Hello there", "stop", 12, 3));

        var response = await Client(services).GetResponseAsync(Conversation());

        response.Text.Should().Be("Hello there");
        keyless.Requests.Should().ContainSingle().Subject.Header("Authorization").Should().BeNull();
    }

    [Fact]
    public async Task GetResponseAsync_WhenProviderHasNoKeyButTheServerWantsOne_IsRefusedWithTheDocumented401()
    {
        var services = BuildServices(BaseUrl(Fake.Root), apiKey: null);

        var act = () => Client(services).GetResponseAsync(Conversation());

        (await act.Should().ThrowAsync<Devana.Application.Common.Exceptions.UpstreamException>()).Which.Message
            .Should().Contain("401").And.Contain("You didn't provide an API key");
        Fake.Requests.Should().ContainSingle().Which.Refusal!.Status.Should().Be(401);
    }

    protected override void AssertAskedForJson(ReceivedRequest request) =>
        request.Json.GetProperty("response_format").GetProperty("type").GetString().Should().Be("json_object");

    private static string? Text(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()
        : string.Concat(content.EnumerateArray().Select(part => part.GetProperty("text").GetString()));
}
