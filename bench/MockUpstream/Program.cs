using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

// A fake OpenAI-compatible upstream for bench/run.sh: POST /v1/chat/completions, JSON or SSE.
//
//   MOCK_LATENCY_MS     delay before the answer starts (headers for JSON, first chunk for SSE); default 0
//   MOCK_TOKENS         tokens in every answer (one SSE chunk each when streaming); default 200
//   MOCK_TOKEN_RATE     tokens per second when streaming; 0 = as fast as possible; default 200
//
// The rate can be set per request by the path, so that one mock serves fast and slow streams:
//   POST /rate/{tokensPerSecond}/v1/chat/completions
// Usage is always reported (prompt tokens estimated as request bytes / 4).
//
// It is also the OTLP/HTTP collector for bench/run.sh's TELEMETRY=1 runs: POST /otlp/v1/traces and
// /otlp/v1/metrics read the export and answer 200 with an empty protobuf response (a full success in
// the OTLP specification), so that Devana's exporters do their whole work without a collector to run.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

var settings = new MockSettings(
    Env("MOCK_LATENCY_MS", 0),
    Env("MOCK_TOKENS", 200),
    Env("MOCK_TOKEN_RATE", 200));
var answers = new Answers(settings.Tokens);
var doneEvent = "data: [DONE]\n\n"u8.ToArray();

app.MapGet("/health", () => "ok");
app.MapPost("/v1/chat/completions", (HttpContext http) => CompleteAsync(http, settings.TokenRate));
app.MapPost("/rate/{rate:int}/v1/chat/completions", (HttpContext http, int rate) => CompleteAsync(http, rate));
foreach (var signal in new[] { "traces", "metrics", "logs" })
{
    app.MapPost($"/otlp/v1/{signal}", async (HttpContext http) =>
    {
        await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
        http.Response.ContentType = "application/x-protobuf";
    });
}
await app.RunAsync();

async Task CompleteAsync(HttpContext http, int rate)
{
    var aborted = http.RequestAborted;
    using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: aborted);
    var root = body.RootElement;
    var model = root.TryGetProperty("model", out var m) ? m.GetString() ?? "mock" : "mock";
    var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
    var includeUsage = root.TryGetProperty("stream_options", out var o) && o.ValueKind == JsonValueKind.Object
        && o.TryGetProperty("include_usage", out var u) && u.ValueKind == JsonValueKind.True;
    var promptTokens = Math.Max(1, (int)((http.Request.ContentLength ?? 400) / 4));
    var rendered = answers.For(model);

    if (settings.LatencyMs > 0)
    {
        await Task.Delay(settings.LatencyMs, aborted);
    }

    if (!stream)
    {
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(rendered.Whole(promptTokens), aborted);
        return;
    }

    http.Response.ContentType = "text/event-stream";
    http.Response.Headers.CacheControl = "no-cache";
    var writer = http.Response.BodyWriter;
    await writer.WriteAsync(rendered.RoleEvent, aborted);
    await writer.FlushAsync(aborted);

    var started = Stopwatch.GetTimestamp();
    for (var i = 0; i < rendered.ContentEvents.Length; i++)
    {
        if (rate > 0)
        {
            // Token i is due i/rate seconds after the first; write every due token, then flush.
            var due = TimeSpan.FromSeconds((double)i / rate) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await writer.FlushAsync(aborted);
                await Task.Delay(due, aborted);
            }
        }

        await writer.WriteAsync(rendered.ContentEvents[i], aborted);
    }

    await writer.WriteAsync(rendered.StopEvent, aborted);
    if (includeUsage)
    {
        await writer.WriteAsync(rendered.UsageEvent(promptTokens), aborted);
    }

    await writer.WriteAsync(doneEvent, aborted);
    await writer.FlushAsync(aborted);
}

static int Env(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

internal sealed record MockSettings(int LatencyMs, int Tokens, int TokenRate);

/// <summary>Pre-rendered answers per model name, so that the mock spends as little CPU as it can.</summary>
internal sealed class Answers(int tokens)
{
    private static readonly string[] s_vocabulary = ["The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", "."];
    private readonly ConcurrentDictionary<string, Rendered> _byModel = new(StringComparer.Ordinal);
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public int Tokens => tokens;

    public Rendered For(string model) => _byModel.GetOrAdd(model, Render);

    private Rendered Render(string model)
    {
        var words = Enumerable.Range(0, tokens).Select(i => s_vocabulary[i % s_vocabulary.Length]).ToArray();
        var head = $"\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":{_created},\"model\":{JsonSerializer.Serialize(model)}";
        byte[] Event(string choices) => Encoding.UTF8.GetBytes($"data: {{{head},\"choices\":[{choices}]}}\n\n");
        return new Rendered(
            head,
            Event("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}"),
            words.Select(w => Event($"{{\"index\":0,\"delta\":{{\"content\":{JsonSerializer.Serialize(w)}}},\"finish_reason\":null}}")).ToArray(),
            Event("{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}"),
            $"{{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion\",\"created\":{_created},\"model\":{JsonSerializer.Serialize(model)}," +
            $"\"choices\":[{{\"index\":0,\"message\":{{\"role\":\"assistant\",\"content\":{JsonSerializer.Serialize(string.Concat(words))}}},\"finish_reason\":\"stop\"}}],\"usage\":");
    }
}

internal sealed record Rendered(string ChunkHead, byte[] RoleEvent, byte[][] ContentEvents, byte[] StopEvent, string WholePrefix)
{
    public static string Usage(int prompt, int completion) =>
        $"{{\"prompt_tokens\":{prompt},\"completion_tokens\":{completion},\"total_tokens\":{prompt + completion}}}";

    public byte[] Whole(int promptTokens) => Encoding.UTF8.GetBytes(WholePrefix + Usage(promptTokens, ContentEvents.Length) + "}");

    public byte[] UsageEvent(int promptTokens) =>
        Encoding.UTF8.GetBytes($"data: {{{ChunkHead},\"choices\":[],\"usage\":{Usage(promptTokens, ContentEvents.Length)}}}\n\n");
}
