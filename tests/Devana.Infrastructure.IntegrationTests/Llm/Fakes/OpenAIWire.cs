using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Devana.Infrastructure.IntegrationTests.Llm.Fakes;

/// <summary>
/// OpenAI's Chat Completions API as its API reference documents it (and as OpenAI-compatible servers copy it):
/// <list type="bullet">
/// <item>"Authentication": <c>Authorization: Bearer &lt;key&gt;</c> (a server started without a key checks none);</item>
/// <item>"Chat → Create chat completion": <c>POST {base}/chat/completions</c>, required <c>model</c> and <c>messages</c>
/// (role <c>system</c>/<c>developer</c>/<c>user</c>/<c>assistant</c>/<c>tool</c>), <c>temperature</c> 0–2, <c>top_p</c> 0–1,
/// <c>stop</c> up to 4 strings, <c>response_format</c>, <c>stream_options</c> only with <c>stream: true</c>; an unknown
/// field is refused ("Unrecognized request argument supplied");</item>
/// <item>"The chat completion object" and "The chat completion chunk object": SSE <c>data: {chunk}</c> lines ending in
/// <c>data: [DONE]</c>, usage in a last chunk with empty <c>choices</c> when <c>stream_options.include_usage</c>;</item>
/// <item>"Error codes": <c>{"error": {"message", "type", "param", "code"}}</c>; 401 <c>invalid_api_key</c>,
/// 429 <c>rate_limit_exceeded</c>, 500 <c>server_error</c>, 503 overloaded;</item>
/// <item>"Rate limits → Rate limits in headers": <c>x-ratelimit-*</c>; <c>retry-after</c> as OpenAI-compatible servers send it.</item>
/// </list>
/// </summary>
public class OpenAIWire(string? apiKey, string path = OpenAIWire.DefaultPath) : UpstreamWire(apiKey)
{
    public const string DefaultPath = "/v1/chat/completions";

    private static readonly HashSet<string> s_requestFields =
    [
        "messages", "model", "audio", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs",
        "max_completion_tokens", "max_tokens", "metadata", "modalities", "n", "parallel_tool_calls", "prediction",
        "presence_penalty", "prompt_cache_key", "reasoning_effort", "response_format", "safety_identifier", "seed",
        "service_tier", "stop", "store", "stream", "stream_options", "temperature", "tool_choice", "tools", "top_logprobs",
        "top_p", "user", "verbosity", "web_search_options",
    ];

    public override string LengthFinishReason => "length";

    public override IReadOnlyList<DocumentedError> Errors { get; } =
    [
        new(400, "invalid_request_error", Retried: false),
        new(401, "invalid_api_key", Retried: false),
        new(403, "unsupported_country_region_territory", Retried: false),
        new(404, "model_not_found", Retried: false),
        new(429, "rate_limit_exceeded", Retried: true),
        new(500, "server_error", Retried: true),
        new(503, "server_error", Retried: true),
    ];

    /// <summary>The path requests must use.</summary>
    public string ChatPath { get; } = path;

    public override WireRefusal? Check(ReceivedRequest request)
    {
        if (request.Method != "POST" || request.Path != ChatPath)
        {
            return new(404, "invalid_request_error", $"Invalid URL ({request.Method} {request.Path})");
        }

        if (CheckAuthentication(request) is { } refused)
        {
            return refused;
        }

        if (!IsJsonContent(request) || ParseObject(request.Body) is not { } body)
        {
            return new(400, "invalid_request_error", "We could not parse the JSON body of your request.");
        }

        return CheckBody(body);
    }

    /// <summary>The documented authentication; null when it passes.</summary>
    protected virtual WireRefusal? CheckAuthentication(ReceivedRequest request)
    {
        if (ApiKey is null)
        {
            return null;
        }

        var authorization = request.Header("Authorization");
        if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return new(401, "invalid_request_error", "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
        }

        var key = authorization["Bearer ".Length..];
        return key == ApiKey ? null : new(401, "invalid_api_key", $"Incorrect API key provided: {Mask(key)}.");
    }

    protected virtual WireRefusal? CheckBody(JsonElement body)
    {
        foreach (var field in body.EnumerateObject())
        {
            if (!s_requestFields.Contains(field.Name))
            {
                return new(400, "invalid_request_error", $"Unrecognized request argument supplied: {field.Name}");
            }
        }

        if (!Has(body, "model", JsonValueKind.String))
        {
            return new(400, "invalid_request_error", "you must provide a model parameter");
        }

        if (!Has(body, "messages", JsonValueKind.Array) || body.GetProperty("messages").GetArrayLength() == 0)
        {
            return new(400, "invalid_request_error", "'messages' must contain at least one message");
        }

        foreach (var message in body.GetProperty("messages").EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("role", out var role) || role.GetString() is not ("system" or "developer" or "user" or "assistant" or "tool")
                || !message.TryGetProperty("content", out var content) || content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array or JsonValueKind.Null))
            {
                return new(400, "invalid_request_error", "Invalid value for 'messages': each message needs a known role and a content");
            }
        }

        if (!IsNumberIn(body, "temperature", 0, 2) || !IsNumberIn(body, "top_p", 0, 1))
        {
            return new(400, "invalid_request_error", "temperature must be from 0 to 2 and top_p from 0 to 1");
        }

        if (body.TryGetProperty("stop", out var stop)
            && stop.ValueKind != JsonValueKind.String
            && (stop.ValueKind != JsonValueKind.Array || stop.GetArrayLength() > 4 || stop.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String)))
        {
            return new(400, "invalid_request_error", "'stop' is a string or up to 4 strings");
        }

        var streaming = body.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
        if (body.TryGetProperty("stream_options", out _) && !streaming)
        {
            return new(400, "invalid_request_error", "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
        }

        if (body.TryGetProperty("response_format", out var format)
            && (format.ValueKind != JsonValueKind.Object || !format.TryGetProperty("type", out var type) || type.GetString() is not ("text" or "json_object" or "json_schema")))
        {
            return new(400, "invalid_request_error", "Invalid 'response_format': its type is 'text', 'json_object' or 'json_schema'");
        }

        return null;
    }

    public override Task WriteAnswerAsync(HttpContext context, string text, string finishReason, int promptTokens, int completionTokens) =>
        FakeUpstream.WriteJsonAsync(context, 200, JsonSerializer.Serialize(new
        {
            id = "chatcmpl-1",
            @object = "chat.completion",
            created = 1_764_000_000,
            model = "gpt-upstream",
            choices = new[] { new { index = 0, message = new { role = "assistant", content = text, refusal = (string?)null }, logprobs = (object?)null, finish_reason = finishReason } },
            usage = Usage(promptTokens, completionTokens),
        }), RateLimitHeaders());

    public override async Task WriteStreamAsync(
        FakeUpstream fake, HttpContext context, IReadOnlyList<string> pieces, string finishReason, int promptTokens, int completionTokens, StreamEnding ending = StreamEnding.Complete)
    {
        await FakeUpstream.StartStreamAsync(context, "text/event-stream; charset=utf-8", RateLimitHeaders());
        await SendAsync(context, Chunk(new { role = "assistant", content = "" }, null));
        foreach (var piece in pieces)
        {
            await SendAsync(context, Chunk(new { content = piece }, null));
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
                await SendAsync(context, new { error = new { message = "The server had an error while processing your request.", type = "server_error", param = (string?)null, code = (string?)null } });
                return;
        }

        await SendAsync(context, Chunk(new { }, finishReason));
        await SendAsync(context, new { id = "chatcmpl-1", @object = "chat.completion.chunk", created = 1_764_000_000, model = "gpt-upstream", choices = Array.Empty<object>(), usage = Usage(promptTokens, completionTokens) });
        await FakeUpstream.WriteFlushedAsync(context, "data: [DONE]\n\n");
    }

    public override Task WriteErrorAsync(HttpContext context, int status, string message, string? kind = null, TimeSpan? retryAfter = null)
    {
        kind ??= KindOf(status);
        var headers = RetryAfterHeader(retryAfter);
        foreach (var (name, value) in RateLimitHeaders())
        {
            headers[name] = value;
        }

        var type = status switch
        {
            429 => "requests",
            >= 500 => "server_error",
            _ => "invalid_request_error",
        };
        return FakeUpstream.WriteJsonAsync(context, status, JsonSerializer.Serialize(new
        {
            error = new { message, type, param = (string?)null, code = kind == type ? null : kind },
        }), headers);
    }

    protected static string Mask(string key) => key.Length <= 8 ? "***" : $"{key[..3]}{new string('*', key.Length - 7)}{key[^4..]}";

    private static Dictionary<string, string> RateLimitHeaders() => new()
    {
        ["x-request-id"] = "req_abc123",
        ["x-ratelimit-limit-requests"] = "500",
        ["x-ratelimit-remaining-requests"] = "499",
        ["x-ratelimit-reset-requests"] = "120ms",
        ["x-ratelimit-limit-tokens"] = "30000",
        ["x-ratelimit-remaining-tokens"] = "29000",
        ["x-ratelimit-reset-tokens"] = "2s",
    };

    private static object Chunk(object delta, string? finishReason) => new
    {
        id = "chatcmpl-1",
        @object = "chat.completion.chunk",
        created = 1_764_000_000,
        model = "gpt-upstream",
        choices = new[] { new { index = 0, delta, logprobs = (object?)null, finish_reason = finishReason } },
        usage = (object?)null,
    };

    private static object Usage(int promptTokens, int completionTokens) =>
        new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens };

    private static Task SendAsync(HttpContext context, object chunk) =>
        FakeUpstream.WriteFlushedAsync(context, $"data: {JsonSerializer.Serialize(chunk)}\n\n");
}
