using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Devana.Infrastructure.IntegrationTests.Llm.Fakes;

/// <summary>
/// A real HTTP server on 127.0.0.1 and a random port, standing in for an upstream LLM. Each request is
/// recorded, then shown to the provider's <see cref="UpstreamWire"/>, which refuses it with the provider's
/// documented error if it breaks the documented wire (wrong key header, missing version, bad body); an
/// admitted request is answered by the next scripted responder, and the last responder answers all later ones.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly UpstreamWire _wire;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _responders = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentQueue<(int Count, TaskCompletionSource Signal)> _requestWaiters = new();
    private readonly TaskCompletionSource _cut = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<HttpContext, Task> _last = context =>
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    };

    private FakeUpstream(WebApplication app, Uri root, UpstreamWire wire)
    {
        _app = app;
        Root = root;
        _wire = wire;
    }

    /// <summary>The server's root, e.g. http://127.0.0.1:51234/.</summary>
    public Uri Root { get; }

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Requests the wire refused, with the documented error it answered.</summary>
    public IReadOnlyList<ReceivedRequest> Refused => [.. _requests.Where(r => r.Refusal is not null)];

    public static async Task<FakeUpstream> StartAsync(UpstreamWire wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeUpstream? fake = null;
        app.Run(context => fake!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake = new FakeUpstream(app, new Uri(address.TrimEnd('/') + "/"), wire);
        return fake;
    }

    /// <summary>Answers the next admitted requests with these responders, in order; the last one answers the rest.</summary>
    public void Respond(params Func<HttpContext, Task>[] responders)
    {
        foreach (var responder in responders)
        {
            _responders.Enqueue(responder);
        }
    }

    public void ClearRequests() => _requests.Clear();

    /// <summary>Completes once <paramref name="count"/> requests (admitted or refused) have come in.</summary>
    public Task WaitForRequestsAsync(int count)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _requestWaiters.Enqueue((count, signal));
        ReleaseRequestWaiters();
        return signal.Task;
    }

    /// <summary>Lets every stream that ends in <see cref="StreamEnding.Cut"/> cut its connection now.</summary>
    public void Cut() => _cut.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        _cut.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var request = new ReceivedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);

        var refusal = _wire.Check(request);
        _requests.Enqueue(refusal is null ? request : request with { Refusal = refusal });
        ReleaseRequestWaiters();
        if (refusal is not null)
        {
            await _wire.WriteErrorAsync(context, refusal.Status, refusal.Message, refusal.Kind);
            return;
        }

        if (_responders.TryDequeue(out var responder))
        {
            if (_responders.IsEmpty)
            {
                _last = responder;
            }
        }
        else
        {
            responder = _last;
        }

        await responder(context);
    }

    /// <summary>
    /// Signals the waiters whose count has come in. One at a time: run by a request and by a new waiter at
    /// once, each could otherwise find the waiter taken out of the queue by the other (being looked at), and
    /// the waiter, put back, would never be signalled (a test that hung in CI).
    /// </summary>
    private void ReleaseRequestWaiters()
    {
        lock (_requestWaiters)
        {
            var count = _requests.Count;
            foreach (var _ in _requestWaiters.ToArray())
            {
                if (_requestWaiters.TryDequeue(out var waiter))
                {
                    if (count >= waiter.Count)
                    {
                        waiter.Signal.TrySetResult();
                    }
                    else
                    {
                        _requestWaiters.Enqueue(waiter);
                    }
                }
            }
        }
    }

    // ---- building blocks for responders ----

    public static async Task WriteJsonAsync(HttpContext context, int status, string json, IReadOnlyDictionary<string, string>? headers = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(json);
    }

    /// <summary>Starts a streamed answer: headers go out now, so the client sees its first byte.</summary>
    public static async Task StartStreamAsync(HttpContext context, string contentType, IReadOnlyDictionary<string, string>? headers = null)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-cache";
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.Body.FlushAsync();
    }

    public static async Task WriteFlushedAsync(HttpContext context, string text)
    {
        await context.Response.WriteAsync(text);
        await context.Response.Body.FlushAsync();
    }

    /// <summary>Waits without answering until the client gives up or the server stops.</summary>
    public async Task StallAsync(HttpContext context)
    {
        var stopping = _app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, either.Token);
        }
        catch (OperationCanceledException)
        {
            // The client went away, as the test expects.
        }
    }

    /// <summary>
    /// Cuts the connection without ending the response properly, as a crashed upstream would, once the test
    /// has seen what was sent before (<see cref="Cut"/>): an abort drops what Kestrel has not yet put on the wire.
    /// </summary>
    public async Task CutAsync(HttpContext context)
    {
        await _cut.Task.WaitAsync(context.RequestAborted);
        context.Abort();
    }
}

/// <summary>A request as the fake upstream received it; <see cref="Refusal"/> is set when the wire refused it.</summary>
public sealed record ReceivedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public WireRefusal? Refusal { get; init; }

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>Why a request broke the provider's documented wire, and the documented error it gets.</summary>
public sealed record WireRefusal(int Status, string Kind, string Message);
