using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Devana.Infrastructure.IntegrationTests.Llm.Fakes;

/// <summary>
/// Anthropic's Messages API as its API reference documents it:
/// <list type="bullet">
/// <item>"Authentication" / "API overview": the key in the <c>x-api-key</c> header, <c>content-type: application/json</c>;</item>
/// <item>"Versions": an <c>anthropic-version</c> header with a listed version (2023-06-01, 2026-10-21); 2026-10-21
/// refuses <c>temperature</c>, <c>top_p</c> and <c>top_k</c> ("Migrating to API version 2026-10-21");</item>
/// <item>"Messages → Create a Message": <c>POST /v1/messages</c>, required <c>model</c>, <c>max_tokens</c>, <c>messages</c>
/// (role <c>user</c>/<c>assistant</c>, content a string or blocks), optional <c>system</c>, <c>stop_sequences</c>,
/// <c>stream</c>, sampling; unknown fields are refused ("Extra inputs are not permitted");</item>
/// <item>"Streaming Messages": SSE <c>message_start</c>, <c>content_block_start</c>, <c>ping</c>, <c>content_block_delta</c>
/// (<c>text_delta</c>), <c>content_block_stop</c>, <c>message_delta</c> (stop_reason, usage), <c>message_stop</c>,
/// and <c>event: error</c> after a 200;</item>
/// <item>"Errors": <c>{"type": "error", "error": {"type", "message"}, "request_id"}</c> with the listed statuses and types;
/// a <c>request-id</c> header on every response;</item>
/// <item>"Rate limits → Response headers": <c>anthropic-ratelimit-*</c>, and <c>retry-after</c> (seconds) on a 429.</item>
/// </list>
/// </summary>
public sealed class AnthropicWire(string? apiKey) : UpstreamWire(apiKey)
{
    public const string Path = "/v1/messages";
    public static readonly IReadOnlyList<string> Versions = ["2023-06-01", "2026-10-21"];

    private static readonly HashSet<string> s_requestFields =
    [
        "model", "messages", "max_tokens", "system", "metadata", "stop_sequences", "stream", "temperature", "top_k", "top_p",
        "tools", "tool_choice", "thinking", "service_tier", "container", "mcp_servers", "context_management", "output_config",
    ];

    public override string LengthFinishReason => "max_tokens";

    public override IReadOnlyList<DocumentedError> Errors { get; } =
    [
        new(400, "invalid_request_error", Retried: false),
        new(401, "authentication_error", Retried: false),
        new(402, "billing_error", Retried: false),
        new(403, "permission_error", Retried: false),
        new(404, "not_found_error", Retried: false),
        new(413, "request_too_large", Retried: false),
        new(429, "rate_limit_error", Retried: true),
        new(500, "api_error", Retried: true),
        new(504, "timeout_error", Retried: true),
        new(529, "overloaded_error", Retried: true),
    ];

    public override WireRefusal? Check(ReceivedRequest request)
    {
        if (request.Method != "POST" || request.Path != Path)
        {
            return new(404, "not_found_error", "Not found");
        }

        var key = request.Header("x-api-key");
        if (ApiKey is not null && string.IsNullOrEmpty(key))
        {
            return new(401, "authentication_error", "x-api-key header is required");
        }

        if (ApiKey is not null && key != ApiKey)
        {
            return new(401, "authentication_error", "invalid x-api-key");
        }

        var version = request.Header("anthropic-version");
        if (string.IsNullOrEmpty(version))
        {
            return new(400, "invalid_request_error", "anthropic-version: header is required");
        }

        if (!Versions.Contains(version))
        {
            return new(400, "invalid_request_error", $"anthropic-version: '{version}' is not a valid version");
        }

        if (!IsJsonContent(request) || ParseObject(request.Body) is not { } body)
        {
            return new(400, "invalid_request_error", "The request body is not valid JSON.");
        }

        foreach (var field in body.EnumerateObject())
        {
            if (!s_requestFields.Contains(field.Name) || (version == "2026-10-21" && field.Name is "temperature" or "top_p" or "top_k"))
            {
                return new(400, "invalid_request_error", $"{field.Name}: Extra inputs are not permitted");
            }
        }

        if (!Has(body, "model", JsonValueKind.String) || body.GetProperty("model").GetString()!.Length == 0)
        {
            return new(400, "invalid_request_error", "model: Field required");
        }

        if (!body.TryGetProperty("max_tokens", out var maxTokens) || !IsPositiveInteger(maxTokens))
        {
            return new(400, "invalid_request_error", "max_tokens: Field required; an integer of at least 1");
        }

        if (!Has(body, "messages", JsonValueKind.Array) || body.GetProperty("messages").GetArrayLength() == 0)
        {
            return new(400, "invalid_request_error", "messages: at least one message is required");
        }

        foreach (var message in body.GetProperty("messages").EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("role", out var role) || role.GetString() is not ("user" or "assistant")
                || !message.TryGetProperty("content", out var content) || !IsContent(content))
            {
                return new(400, "invalid_request_error", "messages: each message needs a role of 'user' or 'assistant' and a content");
            }
        }

        if (body.TryGetProperty("system", out var system) && !IsContent(system))
        {
            return new(400, "invalid_request_error", "system: a string or a list of text blocks");
        }

        if (body.TryGetProperty("stream", out var stream) && stream.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return new(400, "invalid_request_error", "stream: a boolean");
        }

        if (body.TryGetProperty("stop_sequences", out var stops)
            && (stops.ValueKind != JsonValueKind.Array || stops.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String)))
        {
            return new(400, "invalid_request_error", "stop_sequences: a list of strings");
        }

        if (!IsNumberIn(body, "temperature", 0, 1) || !IsNumberIn(body, "top_p", 0, 1))
        {
            return new(400, "invalid_request_error", "temperature and top_p: numbers from 0 to 1");
        }

        return null;
    }

    public override Task WriteAnswerAsync(HttpContext context, string text, string finishReason, int promptTokens, int completionTokens) =>
        FakeUpstream.WriteJsonAsync(context, 200, JsonSerializer.Serialize(new
        {
            id = "msg_01",
            type = "message",
            role = "assistant",
            model = "claude-upstream",
            content = new[] { new { type = "text", text } },
            stop_reason = StopReason(finishReason),
            stop_sequence = (string?)null,
            usage = new { input_tokens = promptTokens, output_tokens = completionTokens, cache_creation_input_tokens = 0, cache_read_input_tokens = 0 },
        }), ResponseHeaders());

    public override async Task WriteStreamAsync(
        FakeUpstream fake, HttpContext context, IReadOnlyList<string> pieces, string finishReason, int promptTokens, int completionTokens, StreamEnding ending = StreamEnding.Complete)
    {
        await FakeUpstream.StartStreamAsync(context, "text/event-stream; charset=utf-8", ResponseHeaders());
        await SendAsync(context, "message_start", new
        {
            type = "message_start",
            message = new
            {
                id = "msg_01",
                type = "message",
                role = "assistant",
                model = "claude-upstream",
                content = Array.Empty<object>(),
                stop_reason = (string?)null,
                stop_sequence = (string?)null,
                usage = new { input_tokens = promptTokens, output_tokens = 1, cache_creation_input_tokens = 0, cache_read_input_tokens = 0 },
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
                await fake.CutAsync(context);
                return;
            case StreamEnding.Stall:
                await fake.StallAsync(context);
                return;
            case StreamEnding.Error:
                await SendAsync(context, "error", new { type = "error", error = new { type = "overloaded_error", message = "Overloaded" } });
                return;
        }

        await SendAsync(context, "content_block_stop", new { type = "content_block_stop", index = 0 });
        await SendAsync(context, "message_delta", new
        {
            type = "message_delta",
            delta = new { stop_reason = StopReason(finishReason), stop_sequence = (string?)null },
            usage = new { output_tokens = completionTokens },
        });
        await SendAsync(context, "message_stop", new { type = "message_stop" });
    }

    public override Task WriteErrorAsync(HttpContext context, int status, string message, string? kind = null, TimeSpan? retryAfter = null)
    {
        var headers = RetryAfterHeader(retryAfter);
        headers["request-id"] = "req_011CErr";
        return FakeUpstream.WriteJsonAsync(context, status, JsonSerializer.Serialize(new
        {
            type = "error",
            error = new { type = kind ?? KindOf(status), message },
            request_id = "req_011CErr",
        }), headers);
    }

    private static string StopReason(string finishReason) => finishReason == "stop" ? "end_turn" : finishReason;

    private static bool IsContent(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => true,
        JsonValueKind.Array => content.EnumerateArray().All(block => block.ValueKind == JsonValueKind.Object && Has(block, "type", JsonValueKind.String)),
        _ => false,
    };

    private static Dictionary<string, string> ResponseHeaders() => new()
    {
        ["request-id"] = "req_011COk",
        ["anthropic-ratelimit-requests-limit"] = "50",
        ["anthropic-ratelimit-requests-remaining"] = "49",
        ["anthropic-ratelimit-requests-reset"] = "2026-12-02T03:00:00Z",
        ["anthropic-ratelimit-tokens-limit"] = "50000",
        ["anthropic-ratelimit-tokens-remaining"] = "49000",
        ["anthropic-ratelimit-tokens-reset"] = "2026-12-02T03:00:00Z",
    };

    private static Task SendAsync(HttpContext context, string eventName, object data) =>
        FakeUpstream.WriteFlushedAsync(context, $"event: {eventName}\ndata: {JsonSerializer.Serialize(data)}\n\n");
}
