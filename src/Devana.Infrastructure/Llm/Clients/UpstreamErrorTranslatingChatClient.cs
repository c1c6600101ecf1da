using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Devana.Application.Common.Exceptions;
using Devana.Infrastructure.Llm.Catalog;
using Devana.Infrastructure.Llm.Clients.Http;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.Llm.Clients;

/// <summary>
/// The outermost layer of every client <see cref="LlmClientProvider"/> hands out. Whatever the SDK underneath
/// throws (error statuses, refused connections, a stream cut in the middle, timeouts, unreadable answers)
/// comes out as <see cref="UpstreamException"/>: 504 for timeouts, 502 otherwise, with the upstream's
/// message and never a key. Cancellation by the caller's own token stays an
/// <see cref="OperationCanceledException"/>. <see cref="ArgumentException"/>s are translated too: the request
/// was checked before it got here, and an SDK reading a reply of the wrong shape (a 200 <c>{"foo":1}</c>, no
/// <c>choices</c>) throws them (<c>ArgumentOutOfRangeException</c> for the missing first choice). A whole answer
/// without a finish reason is not a chat completion either: every provider gives one.
/// </summary>
internal sealed partial class UpstreamErrorTranslatingChatClient(IChatClient innerClient, LlmProviderSettings provider)
    : DelegatingChatClient(innerClient)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            return response.FinishReason is not null
                ? response
                : throw new UpstreamException($"The upstream LLM (provider '{provider.Name}') answered with something that is not a chat completion: it has no choice with a finish reason.", isTimeout: false);
        }
        catch (Exception e) when (Translates(e, cancellationToken))
        {
            throw Translate(e, cancellationToken, streamStarted: false);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception e) when (Translates(e, cancellationToken))
        {
            throw Translate(e, cancellationToken, streamStarted: false);
        }

        var started = false;
        var finished = false;
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await updates.MoveNextAsync();
                }
                catch (Exception e) when (Translates(e, cancellationToken))
                {
                    throw Translate(e, cancellationToken, started);
                }

                if (!more)
                {
                    break;
                }

                started = true;
                finished |= updates.Current.FinishReason is not null;
                yield return updates.Current;
            }
        }
        finally
        {
            try
            {
                await updates.DisposeAsync();
            }
            catch (Exception e) when (Translates(e, cancellationToken))
            {
                // The answer is complete or abandoned; a failure to close the connection changes neither.
            }
        }

        // Some SDKs end a stream quietly when the token is cancelled; the caller must still see it.
        cancellationToken.ThrowIfCancellationRequested();

        // Every provider ends a complete answer with a finish reason. The OpenAI SDK and OllamaSharp end the
        // stream quietly on an error sent after the 200 (an {"error": …} chunk or line), which would pass a
        // truncated answer off as a whole one.
        if (!finished)
        {
            throw new UpstreamException(
                $"The upstream LLM (provider '{provider.Name}') failed in the middle of its answer: the stream ended without a finish reason.",
                isTimeout: false);
        }
    }

    private static bool Translates(Exception exception, CancellationToken cancellationToken) =>
        exception is not UpstreamException
        && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private Exception Translate(Exception exception, CancellationToken cancellationToken, bool streamStarted)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            // The caller went away while the upstream was failing: the cancellation is what happened.
            return new OperationCanceledException("The LLM call was cancelled.", exception, cancellationToken);
        }

        var inner = new ScrubbedUpstreamFailure(exception.GetType().FullName, Scrub(exception.ToString()));
        var who = $"The upstream LLM (provider '{provider.Name}')";
        var timeoutSeconds = $"{provider.Timeout.TotalSeconds:0.###} s";

        // Nothing of the answer has come out of this client yet (a whole answer is returned only once
        // complete): another LLM may still answer (see UpstreamException.CanFallBack).
        var beforeAnswer = !streamStarted;
        if (Find<UpstreamHttpException>(exception) is { } status)
        {
            var code = (int)status.Status;
            return new UpstreamException(
                Scrub($"{who} answered {code} ({status.Status}): {status.UpstreamMessage}"), isTimeout: false, inner)
            {
                CanFallBack = beforeAnswer && code is 408 or 429 or >= 500,
            };
        }

        if (Find<UpstreamTimeoutException>(exception) is { } timeout)
        {
            return timeout.AnswerStarted
                ? new UpstreamException($"{who} stopped sending for more than {timeoutSeconds}.", isTimeout: true, inner) { CanFallBack = beforeAnswer }
                : new UpstreamException($"{who} did not answer within {timeoutSeconds}.", isTimeout: true, inner) { CanFallBack = beforeAnswer };
        }

        if (Find<TimeoutException>(exception) is not null || exception is OperationCanceledException)
        {
            // An SDK's own timeout, or a cancellation that was not the caller's.
            return new UpstreamException($"{who} timed out: {Scrub(exception.Message)}", isTimeout: true, inner) { CanFallBack = beforeAnswer };
        }

        var root = Find<HttpRequestException>(exception) ?? (Exception?)Find<IOException>(exception) ?? exception;
        var message = Scrub(root.Message);
        if (streamStarted)
        {
            return new UpstreamException($"{who} failed in the middle of its answer: {message}", isTimeout: false, inner);
        }

        return root is HttpRequestException
            ? new UpstreamException($"{who} could not be reached: {message}", isTimeout: false, inner) { CanFallBack = true }
            : new UpstreamException($"{who} failed: {message}", isTimeout: false, inner);
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }

            if (current is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                return aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(e => e is not null);
            }
        }

        return null;
    }

    /// <summary>Removes the provider's key, and anything shaped like a key or a bearer token, from a message.</summary>
    internal string Scrub(string text)
    {
        if (!string.IsNullOrEmpty(provider.ApiKey))
        {
            text = text.Replace(provider.ApiKey, "***", StringComparison.Ordinal);
        }

        return KeyLike().Replace(text, "$1***");
    }

    [GeneratedRegex(@"(sk-(?:ant-|proj-)?|Bearer\s+|x-api-key:\s*)[A-Za-z0-9_\-\.]{6,}", RegexOptions.IgnoreCase)]
    private static partial Regex KeyLike();

    /// <summary>
    /// Stands in for the SDK's exception as the inner exception, so that logs keep the diagnosis
    /// (type, message, stack) with any key scrubbed out.
    /// </summary>
    private sealed class ScrubbedUpstreamFailure(string? originalType, string scrubbedDetail) : Exception($"{originalType}: upstream failure")
    {
        public override string ToString() => scrubbedDetail;
    }
}
