using System.Text.Json;
using Devana.Application.Llm;
using Devana.Infrastructure.IntegrationTests.Llm.Fakes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.IntegrationTests.Llm.Clients.OpenAI;

/// <summary>The OpenAI provider against a fake <c>POST /v1/chat/completions</c> (JSON, and SSE <c>data:</c> chunks ending in <c>[DONE]</c>).</summary>
public sealed class OpenAIChatClientTests : UpstreamChatClientTestsBase
{
    protected override LlmProviderType ProviderType => LlmProviderType.OpenAI;

    protected override string UpstreamModel => "gpt-upstream";

    protected override string ChatPath => "/v1/chat/completions";

    protected override string LengthFinishReason => "length";

    protected override string BaseUrl(Uri root) => new Uri(root, "v1").ToString();

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
        var services = BuildServices(BaseUrl(Fake.Root), apiKey: null);
        Fake.Respond(context => WriteAnswerAsync(context, "Hello there", "stop", 12, 3));

        await Client(services).GetResponseAsync(Conversation());

        Fake.Requests.Should().ContainSingle().Subject.Header("Authorization").Should().BeNull();
    }

    protected override void AssertAskedForJson(ReceivedRequest request) =>
        request.Json.GetProperty("response_format").GetProperty("type").GetString().Should().Be("json_object");

    protected override Task WriteAnswerAsync(HttpContext context, string text, string finishReason, int promptTokens, int completionTokens) =>
        FakeUpstream.WriteJsonAsync(context, 200, JsonSerializer.Serialize(new
        {
            id = "chatcmpl-1",
            @object = "chat.completion",
            created = 1_764_000_000,
            model = "gpt-upstream",
            choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = finishReason } },
            usage = Usage(promptTokens, completionTokens),
        }));

    protected override async Task WriteStreamAsync(
        HttpContext context, IReadOnlyList<string> pieces, string finishReason, int promptTokens, int completionTokens, StreamEnding ending = StreamEnding.Complete)
    {
        await FakeUpstream.StartStreamAsync(context, "text/event-stream");
        await SendAsync(context, Chunk(new { role = "assistant", content = "" }, null));
        foreach (var piece in pieces)
        {
            await SendAsync(context, Chunk(new { content = piece }, null));
        }

        switch (ending)
        {
            case StreamEnding.Cut:
                await FakeUpstream.CutAsync(context);
                return;
            case StreamEnding.Stall:
                await FakeUpstream.StallAsync(context);
                return;
        }

        await SendAsync(context, Chunk(new { }, finishReason));
        await SendAsync(context, new { id = "chatcmpl-1", @object = "chat.completion.chunk", created = 1_764_000_000, model = "gpt-upstream", choices = Array.Empty<object>(), usage = Usage(promptTokens, completionTokens) });
        await FakeUpstream.WriteFlushedAsync(context, "data: [DONE]\n\n");
    }

    protected override Task WriteErrorAsync(HttpContext context, int status, string message) =>
        FakeUpstream.WriteJsonAsync(context, status, JsonSerializer.Serialize(new
        {
            error = new { message, type = "server_error", param = (string?)null, code = (string?)null },
        }));

    private static object Chunk(object delta, string? finishReason) => new
    {
        id = "chatcmpl-1",
        @object = "chat.completion.chunk",
        created = 1_764_000_000,
        model = "gpt-upstream",
        choices = new[] { new { index = 0, delta, finish_reason = finishReason } },
    };

    private static object Usage(int promptTokens, int completionTokens) =>
        new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens };

    private static Task SendAsync(HttpContext context, object chunk) =>
        FakeUpstream.WriteFlushedAsync(context, $"data: {JsonSerializer.Serialize(chunk)}\n\n");

    private static string? Text(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()
        : string.Concat(content.EnumerateArray().Select(part => part.GetProperty("text").GetString()));
}
