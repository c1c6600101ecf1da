using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Devana.Infrastructure.IntegrationTests.Llm.Fakes;

/// <summary>
/// Ollama's native API as its documentation (docs/api.md) describes it:
/// <list type="bullet">
/// <item>"Generate a chat completion": <c>POST /api/chat</c>, required <c>model</c>, <c>messages</c> (role
/// <c>system</c>/<c>user</c>/<c>assistant</c>/<c>tool</c>, string <c>content</c>), optional <c>stream</c> (default true),
/// <c>format</c> (<c>"json"</c> or a schema), <c>options</c> (an object: temperature, top_p, num_predict, stop…),
/// <c>keep_alive</c>, <c>tools</c>, <c>think</c>;</item>
/// <item>streaming answers: NDJSON (<c>application/x-ndjson</c>), one object per line, the last with <c>done: true</c>,
/// <c>done_reason</c> and the counts (<c>prompt_eval_count</c>, <c>eval_count</c>) and durations;</item>
/// <item>"Errors": <c>{"error": "…"}</c> with the status (400 bad request, 404 model not found, 429, 500, 503 "server busy"
/// when the queue is full), and an <c>{"error": "…"}</c> line when a stream fails after the 200;</item>
/// <item>"Authentication" (ollama.com's cloud API): <c>Authorization: Bearer &lt;key&gt;</c>, 401 <c>unauthorized</c>.
/// A local Ollama checks no key.</item>
/// </list>
/// </summary>
public sealed class OllamaWire(string? apiKey) : UpstreamWire(apiKey)
{
    public const string Path = "/api/chat";
    private const string CreatedAt = "2025-11-24T12:00:00Z";

    public override string LengthFinishReason => "length";

    public override IReadOnlyList<DocumentedError> Errors { get; } =
    [
        new(400, "bad request", Retried: false),
        new(401, "unauthorized", Retried: false),
        new(404, "model not found", Retried: false),
        new(429, "too many requests", Retried: true),
        new(500, "internal server error", Retried: true),
        new(503, "server busy", Retried: true),
    ];

    public override WireRefusal? Check(ReceivedRequest request)
    {
        if (request.Method != "POST" || request.Path != Path)
        {
            return new(404, "not found", "404 page not found");
        }

        if (ApiKey is not null && request.Header("Authorization") != $"Bearer {ApiKey}")
        {
            return new(401, "unauthorized", "unauthorized");
        }

        if (ParseObject(request.Body) is not { } body)
        {
            return new(400, "bad request", "invalid character in request body");
        }

        if (!Has(body, "model", JsonValueKind.String) || body.GetProperty("model").GetString()!.Length == 0)
        {
            return new(400, "bad request", "model is required");
        }

        if (!Has(body, "messages", JsonValueKind.Array))
        {
            return new(400, "bad request", "messages is required");
        }

        foreach (var message in body.GetProperty("messages").EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("role", out var role) || role.GetString() is not ("system" or "user" or "assistant" or "tool")
                || (message.TryGetProperty("content", out var content) && content.ValueKind != JsonValueKind.String))
            {
                return new(400, "bad request", "invalid message: a role of system, user, assistant or tool and a string content");
            }
        }

        if (body.TryGetProperty("options", out var options) && options.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            return new(400, "bad request", "options must be an object");
        }

        if (body.TryGetProperty("format", out var format) && format.ValueKind is not (JsonValueKind.String or JsonValueKind.Object or JsonValueKind.Null))
        {
            return new(400, "bad request", "format must be \"json\" or a JSON schema");
        }

        return null;
    }

    public override Task WriteAnswerAsync(HttpContext context, string text, string finishReason, int promptTokens, int completionTokens) =>
        FakeUpstream.WriteJsonAsync(context, 200, JsonSerializer.Serialize(Done(text, finishReason, promptTokens, completionTokens)));

    public override async Task WriteStreamAsync(
        FakeUpstream fake, HttpContext context, IReadOnlyList<string> pieces, string finishReason, int promptTokens, int completionTokens, StreamEnding ending = StreamEnding.Complete)
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
                await fake.CutAsync(context);
                return;
            case StreamEnding.Stall:
                await fake.StallAsync(context);
                return;
            case StreamEnding.Error:
                await SendAsync(context, new { error = "an error was encountered while running the model: unexpected EOF" });
                return;
        }

        await SendAsync(context, Done(string.Empty, finishReason, promptTokens, completionTokens));
    }

    public override Task WriteErrorAsync(HttpContext context, int status, string message, string? kind = null, TimeSpan? retryAfter = null) =>
        FakeUpstream.WriteJsonAsync(context, status, JsonSerializer.Serialize(new { error = message }), RetryAfterHeader(retryAfter));

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
