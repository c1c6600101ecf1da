using System.Text.Json;
using Devana.Application.Llm;
using Devana.Infrastructure.IntegrationTests.Llm.Fakes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.IntegrationTests.Llm.Clients.Anthropic;

/// <summary>
/// The Anthropic provider against a fake <c>POST /v1/messages</c>: JSON, and SSE with message_start,
/// content_block_start, content_block_delta, content_block_stop, message_delta and message_stop.
/// </summary>
public sealed class AnthropicChatClientTests : UpstreamChatClientTestsBase
{
    protected override LlmProviderType ProviderType => LlmProviderType.Anthropic;

    protected override string UpstreamModel => "claude-upstream";

    protected override string ChatPath => "/v1/messages";

    protected override string LengthFinishReason => "max_tokens";

    protected override string BaseUrl(Uri root) => root.ToString();

    [Fact]
    public async Task GetResponseAsync_WithOptions_SendsModelSamplingLimitStopSystemAndMessages()
    {
        Fake.Respond(context => WriteAnswerAsync(context, "Hello there", "end_turn", 12, 3));

        await Client().GetResponseAsync(Conversation(), SamplingOptions());

        var request = Fake.Requests.Should().ContainSingle().Subject;
        // The 13.x SDK sends the key as a bearer token.
        request.Header("Authorization").Should().Be($"Bearer {ApiKey}");
        request.Header("anthropic-version").Should().NotBeNullOrEmpty();
        var body = request.Json;
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
    public async Task GetStreamingResponseAsync_Always_AsksForAStream()
    {
        Fake.Respond(context => WriteStreamAsync(context, ["Hi"], "end_turn", 1, 1));

        await CollectAsync(Client().GetStreamingResponseAsync(Conversation()));

        Fake.Requests.Should().ContainSingle().Subject.Json.GetProperty("stream").GetBoolean().Should().BeTrue();
    }

    protected override void AssertAskedForJson(ReceivedRequest request) =>
        Text(request.Json.GetProperty("system")).Should().Contain("valid JSON object");

    protected override Task WriteAnswerAsync(HttpContext context, string text, string finishReason, int promptTokens, int completionTokens) =>
        FakeUpstream.WriteJsonAsync(context, 200, JsonSerializer.Serialize(new
        {
            id = "msg_1",
            type = "message",
            role = "assistant",
            model = "claude-upstream",
            content = new[] { new { type = "text", text } },
            stop_reason = finishReason == "stop" ? "end_turn" : finishReason,
            stop_sequence = (string?)null,
            usage = new { input_tokens = promptTokens, output_tokens = completionTokens },
        }));

    protected override async Task WriteStreamAsync(
        HttpContext context, IReadOnlyList<string> pieces, string finishReason, int promptTokens, int completionTokens, StreamEnding ending = StreamEnding.Complete)
    {
        await FakeUpstream.StartStreamAsync(context, "text/event-stream");
        await SendAsync(context, "message_start", new
        {
            type = "message_start",
            message = new
            {
                id = "msg_1",
                type = "message",
                role = "assistant",
                model = "claude-upstream",
                content = Array.Empty<object>(),
                stop_reason = (string?)null,
                stop_sequence = (string?)null,
                usage = new { input_tokens = promptTokens, output_tokens = 1 },
            },
        });
        await SendAsync(context, "content_block_start", new { type = "content_block_start", index = 0, content_block = new { type = "text", text = "" } });
        await SendAsync(context, "ping", new { type = "ping" });
        foreach (var piece in pieces)
        {
            await SendAsync(context, "content_block_delta", new { type = "content_block_delta", index = 0, delta = new { type = "text_delta", text = piece } });
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

        await SendAsync(context, "content_block_stop", new { type = "content_block_stop", index = 0 });
        await SendAsync(context, "message_delta", new
        {
            type = "message_delta",
            delta = new { stop_reason = finishReason == "stop" ? "end_turn" : finishReason, stop_sequence = (string?)null },
            usage = new { output_tokens = completionTokens },
        });
        await SendAsync(context, "message_stop", new { type = "message_stop" });
    }

    protected override Task WriteErrorAsync(HttpContext context, int status, string message) =>
        FakeUpstream.WriteJsonAsync(context, status, JsonSerializer.Serialize(new
        {
            type = "error",
            error = new { type = status == 429 ? "rate_limit_error" : "api_error", message },
        }));

    private static Task SendAsync(HttpContext context, string eventName, object data) =>
        FakeUpstream.WriteFlushedAsync(context, $"event: {eventName}\ndata: {JsonSerializer.Serialize(data)}\n\n");

    private static string? Text(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()
        : string.Concat(content.EnumerateArray().Select(part => part.GetProperty("text").GetString()));
}
