using System.Buffers;
using System.Text.Json;
using Devana.Api.Infrastructure;
using Devana.Application.Common.Exceptions;
using Devana.Application.Completions.Common;
using Microsoft.AspNetCore.Http.Features;

namespace Devana.Api.Completions;

/// <summary>
/// Writes a completion stream as SSE (docs/completions.md#streaming): each chunk flushed as soon as the LLM
/// produces it, <c>: keep-alive</c> while nothing else is sent, an error event when the stream fails
/// after it began, and <c>data: [DONE]</c> at the end. When the instance's drain time runs out during a
/// shutdown (<c>drained</c>), the stream is ended like a caller that went away — what was produced is
/// stored with <c>finish_reason: "cancelled"</c> and its tokens settled — and ends with an error event
/// (503, <c>service_unavailable</c>) instead of <c>[DONE]</c>.
/// </summary>
public sealed partial class ServerSentEvents(JsonSerializerOptions json, TimeSpan keepAlive, ILogger logger)
{
    private static readonly byte[] s_keepAlive = ": keep-alive\n\n"u8.ToArray();
    private static readonly byte[] s_done = "data: [DONE]\n\n"u8.ToArray();
    private static readonly byte[] s_dataPrefix = "data: "u8.ToArray();
    private static readonly byte[] s_eventEnd = "\n\n"u8.ToArray();

    public const string DrainedMessage =
        "This server instance is shutting down and its drain time ran out, so the answer was cut off. What was written so far is stored (finish_reason \"cancelled\"); send the turn again.";

    public async Task WriteAsync(HttpContext http, IAsyncEnumerable<ChatCompletionChunkDto> stream, CancellationToken drained = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(stream);
        var response = http.Response;
        var aborted = http.RequestAborted;
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var body = response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body, WriterOptions(json));

        // The enumeration's token is the caller's connection (a disconnect cancels the upstream call) and
        // the end of the drain time when the instance shuts down.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(aborted, drained);
        await using var enumerator = stream.GetAsyncEnumerator(ended.Token);
        try
        {
            // The stream is started before the first byte is sent, so that a caller already gone still
            // runs its clean-up when the enumerator is disposed (the cancelled answer is stored, the
            // quota settled). Its first chunk (the role) comes at once.
            var hasItem = await enumerator.MoveNextAsync();
            await response.StartAsync(aborted);
            while (hasItem)
            {
                // One event, serialised straight into the response pipe, then one flush: a PipeWriter's
                // WriteAsync flushes too, so three of them per chunk meant three sends.
                body.Write(s_dataPrefix);
                writer.Reset(body);
                JsonSerializer.Serialize(writer, enumerator.Current, json);
                writer.Flush();
                body.Write(s_eventEnd);
                await body.FlushAsync(aborted);

                var next = enumerator.MoveNextAsync();
                hasItem = next.IsCompleted ? await next : await WaitWithKeepAliveAsync(next.AsTask(), body, aborted);
            }

            if (drained.IsCancellationRequested && !aborted.IsCancellationRequested)
            {
                await WriteErrorAsync(http, new ServiceUnavailableException(DrainedMessage), logged: false);
                return;
            }

            await body.WriteAsync(s_done, aborted);
            await body.FlushAsync(aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The caller went away; the stream stored what it had (finish_reason "cancelled").
        }
        catch (OperationCanceledException) when (drained.IsCancellationRequested && response.HasStarted)
        {
            await WriteErrorAsync(http, new ServiceUnavailableException(DrainedMessage), logged: false);
        }
        catch (Exception exception) when (!aborted.IsCancellationRequested && response.HasStarted)
        {
            await WriteErrorAsync(http, exception, logged: true);
        }
    }

    /// <summary>The error event: the envelope of docs/api.md#errors as one <c>data:</c> event.</summary>
    private async Task WriteErrorAsync(HttpContext http, Exception exception, bool logged)
    {
        var body = http.Response.BodyWriter;
        var (status, envelope) = DevanaExceptionHandler.Map(exception, http.TraceIdentifier);
        if (logged && status >= 500 && status is not (502 or 504))
        {
            LogStreamFailure(exception, http.TraceIdentifier);
        }

        await body.WriteAsync(s_dataPrefix, CancellationToken.None);
        await body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(envelope, json), CancellationToken.None);
        await body.WriteAsync(s_eventEnd, CancellationToken.None);
        await body.FlushAsync(CancellationToken.None);
    }

    /// <summary>The writer settings <see cref="JsonSerializer.SerializeToUtf8Bytes{TValue}(TValue, JsonSerializerOptions?)"/> would use.</summary>
    private static JsonWriterOptions WriterOptions(JsonSerializerOptions json) => new()
    {
        Encoder = json.Encoder,
        Indented = json.WriteIndented,
        IndentCharacter = json.IndentCharacter,
        IndentSize = json.IndentSize,
        NewLine = json.NewLine,
        MaxDepth = json.MaxDepth == 0 ? 64 : json.MaxDepth,
        SkipValidation = true,
    };

    /// <summary>
    /// Sends <c>: keep-alive</c> every <c>keepAlive</c> until the next chunk is ready. One timed wait per
    /// chunk, whose timer is dropped when the chunk comes: no delay task, linked token source or cancellation
    /// callback per chunk, so a chunk that arrives in time wakes no other thread. The wait is not cancelled
    /// by the caller's disconnect, which cancels the stream itself: its clean-up (the cancelled answer
    /// stored, the quota settled) must end before the enumerator is disposed (disposing an async iterator
    /// that is still running throws), so once the caller is gone it waits for the stream without a timer.
    /// </summary>
    private async Task<bool> WaitWithKeepAliveAsync(Task<bool> next, System.IO.Pipelines.PipeWriter body, CancellationToken aborted)
    {
        while (true)
        {
            try
            {
                return aborted.IsCancellationRequested ? await next : await next.WaitAsync(keepAlive, CancellationToken.None);
            }
            catch (TimeoutException timeout) when (timeout != next.Exception?.InnerException)
            {
                // The wait ran out, not the stream (which may fail with a TimeoutException of its own).
                try
                {
                    await body.WriteAsync(s_keepAlive, aborted);
                    await body.FlushAsync(aborted);
                }
                catch (OperationCanceledException) when (aborted.IsCancellationRequested)
                {
                    // The caller went away: the next turn waits for the stream's clean-up.
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream of request {RequestId} failed after it began")]
    private partial void LogStreamFailure(Exception exception, string requestId);
}
