using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Devana.Web.EndToEndTests.Infrastructure;

/// <summary>
/// An OpenAI-compatible chat completions server (as OpenAI documents it: <c>POST /v1/chat/completions</c>
/// with <c>Authorization: Bearer</c>, streamed as <c>chat.completion.chunk</c> events ending with
/// <c>data: [DONE]</c>) whose streams the test holds open: each answer sends <see cref="FirstPart"/> at once
/// and the rest only when the test calls <see cref="Release"/>, or never when the caller disconnects
/// first. So a test sees a stream in progress, and can stop it, without timing guesses. Two upstream models
/// fail as OpenAI documents its failures: <see cref="FailingModel"/> answers 503 with OpenAI's error body
/// (<c>{"error": {"message", "type", "param", "code"}}</c>), and <see cref="SilentModel"/>, served under
/// <see cref="SilentBaseUrl"/>, never answers (until its caller gives up), so Devana's provider timeout ends the call.
/// </summary>
public sealed class FakeLlmUpstream : IAsyncDisposable
{
    public const string FirstPart = "Streaming";
    public const string SecondPart = " finished.";
    public const string ApiKey = "sk-e2e-upstream";
    public const string FailingModel = "gpt-failing";
    public const string SilentModel = "gpt-silent";
    public const string OverloadedMessage = "The engine is currently overloaded, please try again later.";

    private readonly WebApplication _app;
    private readonly SemaphoreSlim _release = new(0);

    private FakeLlmUpstream(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The base URL of a provider whose every request is answered as <see cref="SilentModel"/>'s: never.</summary>
    public string SilentBaseUrl { get; private set; } = string.Empty;

    /// <summary>Completed when a held stream was cancelled by its caller (Devana, after the browser's Stop).</summary>
    public TaskCompletionSource StreamCancelled { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when Devana gave up on a request to <see cref="SilentModel"/> (its timeout, or its caller's).</summary>
    public TaskCompletionSource SilentRequestAbandoned { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _release.Release();

    public void ResetAbandoned() => SilentRequestAbandoned = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ResetCancelled() => StreamCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeLlmUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var upstream = new FakeLlmUpstream(app);
        app.MapPost("/v1/chat/completions", upstream.CompleteAsync);
        app.MapPost("/silent/v1/chat/completions", upstream.StaySilentAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        upstream.BaseUrl = address + "/v1";
        upstream.SilentBaseUrl = address + "/silent/v1";
        return upstream;
    }

    private async Task CompleteAsync(HttpContext context)
    {
        if (!await IsAuthorizedAsync(context))
        {
            return;
        }

        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var model = request.RootElement.GetProperty("model").GetString();
        if (model == FailingModel)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsJsonAsync(new { error = new { message = OverloadedMessage, type = "server_error", param = (string?)null, code = (string?)null } });
            return;
        }

        if (!request.RootElement.TryGetProperty("stream", out var stream) || !stream.GetBoolean())
        {
            await context.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-e2e", @object = "chat.completion", created = 1764000000, model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = FirstPart + SecondPart }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 10, completion_tokens = 2, total_tokens = 12 },
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var aborted = context.RequestAborted;
        try
        {
            await WriteAsync(context, Chunk(model, new { role = "assistant", content = string.Empty }, null), aborted);
            await WriteAsync(context, Chunk(model, new { content = FirstPart }, null), aborted);
            await _release.WaitAsync(aborted);
            await WriteAsync(context, Chunk(model, new { content = SecondPart }, null), aborted);
            await WriteAsync(context, Chunk(model, new { }, "stop"), aborted);
            await WriteAsync(context, new { id = "chatcmpl-e2e", @object = "chat.completion.chunk", created = 1764000000, model, choices = Array.Empty<object>(), usage = new { prompt_tokens = 10, completion_tokens = 2, total_tokens = 12 } }, aborted);
            await context.Response.WriteAsync("data: [DONE]\n\n", aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            StreamCancelled.TrySetResult();
        }
    }

    /// <summary>
    /// The <see cref="SilentModel"/>'s endpoint: it sends nothing, so only the caller's giving up ends the request.
    /// It never reads the body and waits for that from its first line: under load the caller's timeout may fire
    /// while the body is still arriving, and that too is the caller giving up.
    /// </summary>
    private async Task StaySilentAsync(HttpContext context)
    {
        if (!await IsAuthorizedAsync(context))
        {
            return;
        }

        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            SilentRequestAbandoned.TrySetResult();
        }
    }

    private static async Task<bool> IsAuthorizedAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() == $"Bearer {ApiKey}")
        {
            return true;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await context.Response.WriteAsJsonAsync(new { error = new { message = "Incorrect API key provided.", type = "invalid_request_error", param = (string?)null, code = "invalid_api_key" } });
        return false;
    }

    private static object Chunk(string? model, object delta, string? finishReason) => new
    {
        id = "chatcmpl-e2e",
        @object = "chat.completion.chunk",
        created = 1764000000,
        model,
        choices = new[] { new { index = 0, delta, finish_reason = finishReason } },
    };

    private static async Task WriteAsync(HttpContext context, object chunk, CancellationToken cancellationToken)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk) + "\n\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _release.Dispose();
    }
}
