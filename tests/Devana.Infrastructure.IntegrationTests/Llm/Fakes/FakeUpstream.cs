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
using Microsoft.Extensions.Logging;

namespace Devana.Infrastructure.IntegrationTests.Llm.Fakes;

/// <summary>
/// A real HTTP server on 127.0.0.1 and a random port, standing in for an upstream LLM. Each request is
/// recorded, then answered by the next scripted responder; the last responder answers all later requests.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _responders = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private Func<HttpContext, Task> _last = context =>
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    };

    private FakeUpstream(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>The server's root, e.g. http://127.0.0.1:51234/.</summary>
    public Uri Root { get; }

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeUpstream? fake = null;
        app.Run(context => fake!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake = new FakeUpstream(app, new Uri(address.TrimEnd('/') + "/"));
        return fake;
    }

    /// <summary>Answers the next requests with these responders, in order; the last one answers the rest.</summary>
    public void Respond(params Func<HttpContext, Task>[] responders)
    {
        foreach (var responder in responders)
        {
            _responders.Enqueue(responder);
        }
    }

    public void ClearRequests() => _requests.Clear();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        _requests.Enqueue(new ReceivedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body));

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

    // ---- building blocks for responders ----

    public static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    /// <summary>Starts a streamed answer: headers go out now, so the client sees its first byte.</summary>
    public static async Task StartStreamAsync(HttpContext context, string contentType)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.FlushAsync();
    }

    public static async Task WriteFlushedAsync(HttpContext context, string text)
    {
        await context.Response.WriteAsync(text);
        await context.Response.Body.FlushAsync();
    }

    /// <summary>Waits without answering until the client gives up (or a long while passes).</summary>
    public static async Task StallAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client went away, as the test expects.
        }
    }

    /// <summary>Cuts the connection without ending the response properly, as a crashed upstream would.</summary>
    public static async Task CutAsync(HttpContext context)
    {
        // An abort drops what Kestrel has not yet put on the wire; let the pieces get there first.
        await Task.Delay(200);
        context.Abort();
    }
}

public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
