using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Devana.Api.FunctionalTests.Completions;

/// <summary>What the fake upstream does for one request.</summary>
/// <param name="Words">The answer, sent word by word when streaming.</param>
/// <param name="Status">Non-200: answer this status with an OpenAI error body instead.</param>
/// <param name="DelayPerWord">Pause before each streamed word.</param>
/// <param name="CutAfterWords">Streaming: drop the connection after this many words.</param>
/// <param name="Silent">Send nothing at all, not even the headers, until the caller gives up.</param>
/// <param name="ErrorAfterWords">Streaming: after this many words, an <c>{"error": …}</c> event (as OpenAI sends a failure once the 200 is out), then the end.</param>
public sealed record FakeReply(IReadOnlyList<string> Words, int Status = 200, TimeSpan DelayPerWord = default, int? CutAfterWords = null, bool Silent = false, int? ErrorAfterWords = null)
{
    public static FakeReply Text(string text) => new(text.Split(' '));

    /// <summary>
    /// Streaming: the response starts (headers sent) and <see cref="HoldAt"/> words go out, then it waits for this
    /// before the next word (a task that never completes holds the stream open until the caller goes away).
    /// </summary>
    public Task? HoldUntil { get; init; }

    /// <summary>How many words <see cref="HoldUntil"/> lets out before it holds (default 0: before the first).</summary>
    public int HoldAt { get; init; }

    /// <summary>A misbehaviour instead of (or, for <see cref="UpstreamFault.SlowFirstByte"/>, before) the answer.</summary>
    public UpstreamFault Fault { get; init; }

    /// <summary><see cref="UpstreamFault.SlowFirstByte"/>: nothing is sent (not even headers) until this completes.</summary>
    public Task? FirstByteAfter { get; init; }
}

/// <summary>How the fake upstream misbehaves, for the fault-injection table.</summary>
public enum UpstreamFault
{
    None,

    /// <summary>Accepts the request and never answers (no status line).</summary>
    Hang,

    /// <summary>Answers 200 <c>text/event-stream</c> (or JSON) headers, then sends nothing more.</summary>
    Silent,

    /// <summary>Answers 200 with a body that is not JSON (a truncated document; in a stream, a garbled event).</summary>
    InvalidJson,

    /// <summary>Answers 200 with valid JSON of the wrong shape: <c>{"foo":1}</c> (in a stream, such events and <c>[DONE]</c>).</summary>
    WrongShape,

    /// <summary>Holds back everything until <see cref="FakeReply.FirstByteAfter"/> completes, then answers normally.</summary>
    SlowFirstByte,
}

/// <summary>
/// A local OpenAI-compatible server (chat completions, JSON and SSE) on 127.0.0.1 that records every
/// request it receives, so that tests can see exactly what Devana sent upstream.
/// </summary>
public sealed class FakeOpenAiUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOpenAiUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<JsonElement> Requests { get; } = new();

    /// <summary>Decides the reply from the request body; by default answers "fake answer to: &lt;last user message&gt;".</summary>
    public Func<JsonElement, FakeReply> Behavior { get; set; } = DefaultBehavior;

    /// <summary>Completes when a streaming request is aborted by Devana (the caller went away).</summary>
    public TaskCompletionSource StreamAborted { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string BaseUrl { get; private set; } = string.Empty;

    public static FakeReply DefaultBehavior(JsonElement request)
    {
        var last = request.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString();
        return FakeReply.Text($"fake answer to: {last}");
    }

    public void Reset()
    {
        Requests.Clear();
        Behavior = DefaultBehavior;
        StreamAborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public static async Task<FakeOpenAiUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeOpenAiUpstream(app);
        app.MapPost("/v1/chat/completions", fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = address.TrimEnd('/') + "/v1";
        return fake;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var document = await JsonDocument.ParseAsync(http.Request.Body);
        var request = document.RootElement.Clone();
        Requests.Enqueue(request);
        var reply = Behavior(request);
        var model = request.GetProperty("model").GetString();
        if (reply.Silent)
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                StreamAborted.TrySetResult();
            }

            return;
        }

        var streaming = request.TryGetProperty("stream", out var streamFlag) && streamFlag.GetBoolean();
        if (reply.Fault != UpstreamFault.None && await MisbehaveAsync(http, reply, streaming))
        {
            return;
        }

        if (reply.Status != 200)
        {
            http.Response.StatusCode = reply.Status;
            await http.Response.WriteAsJsonAsync(new { error = new { message = $"fake upstream failure {reply.Status}", type = "server_error" } });
            return;
        }

        var stream = request.TryGetProperty("stream", out var s) && s.GetBoolean();
        var promptTokens = 11;
        if (!stream)
        {
            await http.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-fake",
                @object = "chat.completion",
                created = 1764000000,
                model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = string.Join(' ', reply.Words) }, finish_reason = "stop" } },
                usage = new { prompt_tokens = promptTokens, completion_tokens = reply.Words.Count, total_tokens = promptTokens + reply.Words.Count },
            });
            return;
        }

        http.Response.ContentType = "text/event-stream";
        var aborted = http.RequestAborted;
        try
        {
            for (var i = 0; i < reply.Words.Count; i++)
            {
                if (reply.HoldUntil is { } hold && i == reply.HoldAt)
                {
                    await http.Response.Body.FlushAsync(aborted);
                    await hold.WaitAsync(aborted);
                }

                if (reply.CutAfterWords == i)
                {
                    http.Abort();
                    return;
                }

                if (reply.ErrorAfterWords == i)
                {
                    await WriteEventAsync(http, new { error = new { message = "The server had an error while processing your request.", type = "server_error", param = (string?)null, code = (string?)null } }, aborted);
                    return;
                }

                if (reply.DelayPerWord > TimeSpan.Zero)
                {
                    await Task.Delay(reply.DelayPerWord, aborted);
                }

                var word = i == 0 ? reply.Words[i] : " " + reply.Words[i];
                await WriteEventAsync(http, new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1764000000, model, choices = new[] { new { index = 0, delta = new { content = word }, finish_reason = (string?)null } } }, aborted);
            }

            await WriteEventAsync(http, new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1764000000, model, choices = new[] { new { index = 0, delta = new { }, finish_reason = "stop" } } }, aborted);
            await WriteEventAsync(http, new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1764000000, model, choices = Array.Empty<object>(), usage = new { prompt_tokens = promptTokens, completion_tokens = reply.Words.Count, total_tokens = promptTokens + reply.Words.Count } }, aborted);
            await http.Response.WriteAsync("data: [DONE]\n\n", aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            StreamAborted.TrySetResult();
        }
    }

    /// <summary>Plays <see cref="FakeReply.Fault"/>; false when the normal answer should follow.</summary>
    private static async Task<bool> MisbehaveAsync(HttpContext http, FakeReply reply, bool streaming)
    {
        var aborted = http.RequestAborted;
        try
        {
            switch (reply.Fault)
            {
                case UpstreamFault.Hang:
                    await Task.Delay(Timeout.Infinite, aborted);
                    return true;
                case UpstreamFault.Silent:
                    http.Response.ContentType = streaming ? "text/event-stream" : "application/json";
                    await http.Response.Body.FlushAsync(aborted);
                    await Task.Delay(Timeout.Infinite, aborted);
                    return true;
                case UpstreamFault.InvalidJson:
                    http.Response.ContentType = streaming ? "text/event-stream" : "application/json";
                    await http.Response.WriteAsync(streaming ? "data: {\"id\": \"chatcmpl-fake\", \"choices\": [\n\n" : "{\"id\": \"chatcmpl-fake\", \"choices\": [", aborted);
                    return true;
                case UpstreamFault.WrongShape:
                    http.Response.ContentType = streaming ? "text/event-stream" : "application/json";
                    await http.Response.WriteAsync(streaming ? "data: {\"foo\":1}\n\ndata: {\"foo\":2}\n\ndata: [DONE]\n\n" : "{\"foo\":1}", aborted);
                    return true;
                case UpstreamFault.SlowFirstByte:
                    await reply.FirstByteAfter!.WaitAsync(aborted);
                    return false;
                default:
                    return false;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // Devana gave up on it (its timeout), as it should.
            return true;
        }
    }

    private static async Task WriteEventAsync(HttpContext http, object payload, CancellationToken cancellationToken)
    {
        await http.Response.WriteAsync("data: " + JsonSerializer.Serialize(payload) + "\n\n", Encoding.UTF8, cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
