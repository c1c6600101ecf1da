using System.Runtime.CompilerServices;
using Devana.Application.Llm.Common;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace Devana.Infrastructure.Llm.Clients.OpenAI;

/// <summary>
/// What OpenAI's chat API takes but Microsoft.Extensions.AI's options have no property for — <c>logprobs</c>,
/// <c>top_logprobs</c>, <c>user</c>, the exact <c>reasoning_effort</c> — set on the SDK's own options, and the
/// log probabilities of the answer handed back as <see cref="TokenLogprob"/>s.
/// </summary>
internal sealed class OpenAIRequestOptionsChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public const string LogprobsKey = "logprobs";
    public const string TopLogprobsKey = "top_logprobs";
    public const string EndUserKey = "user";
    public const string ReasoningEffortKey = "reasoning_effort";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, WithRawOptions(options), cancellationToken);
        if (response.RawRepresentation is ChatCompletion { ContentTokenLogProbabilities.Count: > 0 } completion)
        {
            (response.AdditionalProperties ??= [])[TokenLogprob.Key] = Convert(completion.ContentTokenLogProbabilities);
        }

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, WithRawOptions(options), cancellationToken))
        {
            if (update.RawRepresentation is StreamingChatCompletionUpdate { ContentTokenLogProbabilities.Count: > 0 } chunk)
            {
                (update.AdditionalProperties ??= [])[TokenLogprob.Key] = Convert(chunk.ContentTokenLogProbabilities);
            }

            yield return update;
        }
    }

    private static ChatOptions? WithRawOptions(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { Count: > 0 } extra)
        {
            return options;
        }

        var logprobs = extra.TryGetValue(LogprobsKey, out bool include) ? include : (bool?)null;
        var top = extra.TryGetValue(TopLogprobsKey, out int count) ? count : (int?)null;
        var user = extra.TryGetValue(EndUserKey, out string? endUser) ? endUser : null;
        var effort = extra.TryGetValue(ReasoningEffortKey, out string? level) ? level : null;
        if (logprobs is null && top is null && user is null && effort is null)
        {
            return options;
        }

        var copy = options.Clone();
        var previous = copy.RawRepresentationFactory;
        copy.RawRepresentationFactory = client =>
        {
            var raw = previous?.Invoke(client) as ChatCompletionOptions ?? new ChatCompletionOptions();
            raw.IncludeLogProbabilities ??= logprobs;
            raw.TopLogProbabilityCount ??= top;
            raw.EndUserId ??= user;
            if (effort is not null)
            {
                // The SDK marks reasoning effort as evaluation-only; it is the documented chat field, sent as is.
#pragma warning disable OPENAI001
                raw.ReasoningEffortLevel ??= new ChatReasoningEffortLevel(effort);
#pragma warning restore OPENAI001
            }

            return raw;
        };
        return copy;
    }

    private static List<TokenLogprob> Convert(IEnumerable<ChatTokenLogProbabilityDetails> details) =>
        details.Select(d => new TokenLogprob(
            d.Token,
            d.LogProbability,
            d.Utf8Bytes?.ToArray().Select(b => (int)b).ToList(),
            d.TopLogProbabilities.Select(t => new TokenLogprob(t.Token, t.LogProbability, t.Utf8Bytes?.ToArray().Select(b => (int)b).ToList(), [])).ToList())).ToList();
}
