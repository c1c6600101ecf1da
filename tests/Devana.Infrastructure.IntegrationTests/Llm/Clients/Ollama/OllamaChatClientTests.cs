using System.Text.Json;
using Devana.Application.Llm;
using Devana.Infrastructure.IntegrationTests.Llm.Fakes;
using Microsoft.AspNetCore.Http;

namespace Devana.Infrastructure.IntegrationTests.Llm.Clients.Ollama;

/// <summary>The Ollama provider against a fake <c>POST /api/chat</c> (one JSON object, or NDJSON when streaming).</summary>
public sealed class OllamaChatClientTests : UpstreamChatClientTestsBase
{
    private const string CreatedAt = "2025-11-24T12:00:00Z";

    protected override LlmProviderType ProviderType => LlmProviderType.Ollama;

    protected override string UpstreamModel => "llama-upstream:8b";

    protected override string ChatPath => "/api/chat";

    protected override string LengthFinishReason => "length";

    protected override string BaseUrl(Uri root) => root.ToString().TrimEnd('/');

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

    protected override Task WriteAnswerAsync(HttpContext context, string text, string finishReason, int promptTokens, int completionTokens) =>
        FakeUpstream.WriteJsonAsync(context, 200, JsonSerializer.Serialize(Done(text, finishReason, promptTokens, completionTokens)) + "\n");

    protected override async Task WriteStreamAsync(
        HttpContext context, IReadOnlyList<string> pieces, string finishReason, int promptTokens, int completionTokens, StreamEnding ending = StreamEnding.Complete)
    {
        await FakeUpstream.StartStreamAsync(context, "application/x-ndjson");
        foreach (var piece in pieces)
        {
            await SendAsync(context, new
            {
                model = "llama-upstream:8b",
                created_at = CreatedAt,
                message = new { role = "assistant", content = piece },
                done = false,
            });
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

        await SendAsync(context, Done(string.Empty, finishReason, promptTokens, completionTokens));
    }

    protected override Task WriteErrorAsync(HttpContext context, int status, string message) =>
        FakeUpstream.WriteJsonAsync(context, status, JsonSerializer.Serialize(new { error = message }));

    private static object Done(string text, string finishReason, int promptTokens, int completionTokens) => new
    {
        model = "llama-upstream:8b",
        created_at = CreatedAt,
        message = new { role = "assistant", content = text },
        done = true,
        done_reason = finishReason,
        total_duration = 1_000_000,
        load_duration = 1_000,
        prompt_eval_count = promptTokens,
        prompt_eval_duration = 1_000,
        eval_count = completionTokens,
        eval_duration = 1_000,
    };

    private static Task SendAsync(HttpContext context, object line) =>
        FakeUpstream.WriteFlushedAsync(context, JsonSerializer.Serialize(line) + "\n");
}
