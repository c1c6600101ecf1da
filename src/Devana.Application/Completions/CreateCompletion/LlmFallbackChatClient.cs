using System.Runtime.CompilerServices;
using Devana.Application.Common.Exceptions;
using Devana.Application.Llm.Common;
using Microsoft.Extensions.AI;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>One LLM a completion may be answered by, with the client that calls it.</summary>
internal sealed record LlmRoute(LlmModel Llm, IChatClient Client);

/// <summary>
/// Asks the first LLM of <paramref name="routes"/> (the one the request picked), and the next one only when
/// the last failed before its answer began (<see cref="UpstreamException.CanFallBack"/>: unreachable, 408,
/// 429, 5xx or a timeout, once the provider's own retries are spent). Once an answer has begun — a whole
/// response, or a stream's first update — it is the answer: a later failure is final, never handed to another
/// LLM, so no caller sees two LLMs' words in one answer. When every LLM fails, the last failure is thrown.
/// One instance serves one LLM call (one choice): it remembers which LLM answered and every attempt, for the
/// stored answer, the usage ledger and the request's log line. It sits where the runner calls the LLM, so a
/// tool loop wrapped around it falls back on each of its calls.
/// </summary>
internal sealed class LlmFallbackChatClient(IReadOnlyList<LlmRoute> routes) : IChatClient
{
    private readonly List<string> _attempts = [];

    /// <summary>The LLM of the latest attempt: the one that answered, or else the one whose failure was thrown.</summary>
    public LlmModel Llm { get; private set; } = routes[0].Llm;

    /// <summary>Every attempt, in order: <c>"{llm}: answered"</c> or <c>"{llm}: {code}: {message}"</c>.</summary>
    public IReadOnlyList<string> Attempts => _attempts;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var history = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        for (var i = 0; ; i++)
        {
            var route = Start(i);
            try
            {
                var response = await route.Client.GetResponseAsync(history, options?.Clone(), cancellationToken);
                _attempts.Add($"{route.Llm.Id}: answered");
                return response;
            }
            catch (UpstreamException failure) when (!cancellationToken.IsCancellationRequested)
            {
                Failed(route, failure);
                if (!MayFallBack(i, failure))
                {
                    throw;
                }
            }
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var history = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        for (var i = 0; ; i++)
        {
            var route = Start(i);
            await using var updates = route.Client.GetStreamingResponseAsync(history, options?.Clone(), cancellationToken).GetAsyncEnumerator(cancellationToken);
            bool more;
            try
            {
                more = await updates.MoveNextAsync();
            }
            catch (UpstreamException failure) when (!cancellationToken.IsCancellationRequested)
            {
                Failed(route, failure);
                if (MayFallBack(i, failure))
                {
                    continue;
                }

                throw;
            }

            // The answer has begun: from here on, a failure belongs to this LLM's answer.
            while (more)
            {
                yield return updates.Current;
                more = await NextAsync(updates, route, cancellationToken);
            }

            _attempts.Add($"{route.Llm.Id}: answered");
            yield break;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : routes[0].Client.GetService(serviceType, serviceKey);
    }

    public void Dispose()
    {
        // The routes' clients belong to the caller.
    }

    private LlmRoute Start(int index)
    {
        var route = routes[index];
        Llm = route.Llm;
        return route;
    }

    private bool MayFallBack(int index, UpstreamException failure) => failure.CanFallBack && index < routes.Count - 1;

    private void Failed(LlmRoute route, UpstreamException failure) => _attempts.Add($"{route.Llm.Id}: {failure.Code}: {failure.Message}");

    private async Task<bool> NextAsync(IAsyncEnumerator<ChatResponseUpdate> updates, LlmRoute route, CancellationToken cancellationToken)
    {
        try
        {
            return await updates.MoveNextAsync();
        }
        catch (UpstreamException failure) when (!cancellationToken.IsCancellationRequested)
        {
            Failed(route, failure);
            throw;
        }
    }
}
