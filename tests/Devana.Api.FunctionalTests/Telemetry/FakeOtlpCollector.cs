using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Devana.Api.FunctionalTests.Telemetry;

/// <summary>One OTLP/HTTP export received: the signal's path, its content type and its size.</summary>
public sealed record OtlpExport(string Path, string? ContentType, long Bytes);

/// <summary>
/// A local OTLP/HTTP receiver on 127.0.0.1 (the collector's <c>/v1/traces</c> and <c>/v1/metrics</c>,
/// protobuf bodies), answering 200 with an empty export response, and recording what it received.
/// </summary>
public sealed class FakeOtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOtlpCollector(WebApplication app) => _app = app;

    public ConcurrentQueue<OtlpExport> Exports { get; } = new();

    /// <summary>Completes on the first export of each path.</summary>
    public ConcurrentDictionary<string, TaskCompletionSource> Received { get; } = new(StringComparer.Ordinal);

    public string Endpoint { get; private set; } = string.Empty;

    public Task WhenReceivedAsync(string path) =>
        Received.GetOrAdd(path, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public static async Task<FakeOtlpCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var collector = new FakeOtlpCollector(app);
        app.MapPost("/v1/{signal}", collector.HandleAsync);
        await app.StartAsync();
        collector.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return collector;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        var path = http.Request.Path.Value!;
        Exports.Enqueue(new OtlpExport(path, http.Request.ContentType, body.Length));
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/x-protobuf";
        Received.GetOrAdd(path, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
