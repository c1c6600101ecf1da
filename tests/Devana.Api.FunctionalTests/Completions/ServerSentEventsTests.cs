using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Devana.Api.Completions;
using Devana.Application.Completions.Common;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;

namespace Devana.Api.FunctionalTests.Completions;

/// <summary>
/// The SSE writer's keep-alive wait on its own (docs/completions.md#streaming): a silent stream gets
/// <c>: keep-alive</c> comments until its next chunk, a stream that fails with a
/// <see cref="TimeoutException"/> of its own is a failure, not a keep-alive, and a caller gone during a
/// silence leaves the stream its whole clean-up before the writer disposes it.
/// </summary>
public sealed class ServerSentEventsTests
{
    private static readonly ServerSentEvents Events =
        new(new JsonSerializerOptions(JsonSerializerDefaults.Web), TimeSpan.FromMilliseconds(40), NullLogger.Instance);

    [Fact]
    public async Task SilentStream_GetsKeepAlives_UntilItsNextChunk_ThenEndsWithDone()
    {
        var (http, output) = NewContext();

        async IAsyncEnumerable<ChatCompletionChunkDto> Stream([EnumeratorCancellation] CancellationToken cancellation = default)
        {
            yield return Chunk("first");
            // Silent until the writer has sent two keep-alives: no race between two clocks.
            while (CountKeepAlives(output.Text) < 2)
            {
                await Task.Delay(10, cancellation);
            }

            yield return Chunk("second");
        }

        await Events.WriteAsync(http, Stream()).WaitAsync(TimeSpan.FromSeconds(30));

        var text = output.Text;
        CountKeepAlives(text).Should().BeGreaterThanOrEqualTo(2);
        text.IndexOf("first", StringComparison.Ordinal).Should().BeLessThan(text.IndexOf(": keep-alive", StringComparison.Ordinal));
        text.LastIndexOf(": keep-alive", StringComparison.Ordinal).Should().BeLessThan(text.IndexOf("second", StringComparison.Ordinal));
        text.Should().EndWith("data: [DONE]\n\n");
        http.Response.StatusCode.Should().Be(StatusCodes.Status200OK);
        http.Response.ContentType.Should().Be("text/event-stream");
    }

    [Fact]
    public async Task StreamFailingWithItsOwnTimeout_EndsWithAnErrorEvent_NotAKeepAliveLoop()
    {
        var (http, output) = NewContext();

        async IAsyncEnumerable<ChatCompletionChunkDto> Stream([EnumeratorCancellation] CancellationToken cancellation = default)
        {
            yield return Chunk("first");
            await Task.Delay(5, cancellation);
            throw new TimeoutException("The upstream did not answer in time.");
        }

        await Events.WriteAsync(http, Stream()).WaitAsync(TimeSpan.FromSeconds(30));

        var text = output.Text;
        text.Should().Contain("first");
        var last = text.TrimEnd('\n').Split("\n\n")[^1];
        last.Should().StartWith("data: {\"error\":").And.Contain("\"server_error\"");
        text.Should().NotContain("[DONE]");
    }

    [Fact]
    public async Task CallerGoneDuringASilence_WhoseCleanUpOutlastsTheKeepAlive_EndsQuietly_AfterTheCleanUp()
    {
        var (http, output) = NewContext();
        using var gone = new CancellationTokenSource();
        http.RequestAborted = gone.Token;
        var silent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cleanUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cleanedUp = false;

        async IAsyncEnumerable<ChatCompletionChunkDto> Stream([EnumeratorCancellation] CancellationToken cancellation = default)
        {
            yield return Chunk("first");
            try
            {
                silent.SetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellation);
            }
            finally
            {
                // The clean-up (the cancelled answer stored, the quota settled) lasts until the test ends it,
                // long after the keep-alive interval.
                await cleanUp.Task;
                cleanedUp = true;
            }

            yield return Chunk("after the silence");
        }

        var writing = Events.WriteAsync(http, Stream());
        // The caller goes away during the silence, once the writer has sent a keep-alive.
        await silent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        while (CountKeepAlives(output.Text) < 1)
        {
            await Task.Delay(5);
        }

        await gone.CancelAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        writing.IsCompleted.Should().BeFalse("the writer waits for the stream's clean-up before it disposes the stream");
        cleanUp.SetResult();

        await writing.WaitAsync(TimeSpan.FromSeconds(30));
        cleanedUp.Should().BeTrue();
        output.Text.Should().NotContain("[DONE]").And.NotContain("after the silence");
    }

    private static int CountKeepAlives(string text)
    {
        var count = 0;
        for (var at = text.IndexOf(": keep-alive", StringComparison.Ordinal); at >= 0; at = text.IndexOf(": keep-alive", at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static ChatCompletionChunkDto Chunk(string content) =>
        new("chatcmpl-test", 0, "agent", "conversation", [new ChunkChoiceDto(0, new ChunkDeltaDto(null, content), null)], null);

    private static (HttpContext Http, SharedOutput Output) NewContext()
    {
        var output = new SharedOutput();
        var http = new DefaultHttpContext();
        var response = new StartableResponseFeature();
        http.Features.Set<IHttpResponseFeature>(response);
        http.Features.Set<IHttpResponseBodyFeature>(new StartableBodyFeature(output, response));
        return (http, output);
    }

    /// <summary>The response body, read by the test while the writer writes it.</summary>
    private sealed class SharedOutput : Stream
    {
        private readonly MemoryStream _buffer = new();

        public string Text
        {
            get
            {
                lock (_buffer)
                {
                    return Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length);
                }
            }
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_buffer)
            {
                _buffer.Write(buffer, offset, count);
            }
        }
    }

    /// <summary>A response that reports itself started once its body has started, as Kestrel's does.</summary>
    private sealed class StartableResponseFeature : HttpResponseFeature
    {
        public bool Started { get; set; }

        public override bool HasStarted => Started;
    }

    private sealed class StartableBodyFeature(Stream body, StartableResponseFeature response) : StreamResponseBodyFeature(body)
    {
        public override Task StartAsync(CancellationToken cancellationToken = default)
        {
            response.Started = true;
            return base.StartAsync(cancellationToken);
        }
    }
}
