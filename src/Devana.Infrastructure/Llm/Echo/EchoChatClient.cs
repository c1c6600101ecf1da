using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Devana.Application.Llm;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.Llm.Echo;

/// <summary>
/// The built-in offline LLM (docs/llm-providers.md): answers "Echo: &lt;last user message&gt;" (or
/// <c>{"echo": "&lt;last user message&gt;"}</c> when JSON is asked for), one update per word. It honours stop
/// sequences (finish reason <c>stop</c>) and the output token limit (finish reason <c>length</c>, whole words
/// only), and counts usage with the real tokenizer. Temperature and top_p are accepted and ignored:
/// the answer is deterministic. No network.
/// </summary>
internal sealed partial class EchoChatClient(LlmModel model, ITokenCounter tokenCounter, TimeProvider timeProvider) : IChatClient
{
    public const string Prefix = "Echo:";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var answer = Answer(messages, options);
        var id = NewResponseId();
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(answer.Words)) { MessageId = id })
        {
            ResponseId = id,
            ModelId = model.UpstreamModel,
            CreatedAt = timeProvider.GetUtcNow(),
            FinishReason = answer.FinishReason,
            Usage = answer.Usage,
        };
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var answer = Answer(messages, options);
        var id = NewResponseId();
        foreach (var word in answer.Words)
        {
            // Yield between words so that a consumer sees a real stream, not one synchronous burst.
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return Update(id, [new TextContent(word)]);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var last = Update(id, [new UsageContent(answer.Usage)]);
        last.FinishReason = answer.FinishReason;
        yield return last;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return new ChatClientMetadata("echo", defaultModelId: model.UpstreamModel);
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // Nothing to release.
    }

    private EchoAnswer Answer(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var history = messages.ToList();
        var lastUserText = history.LastOrDefault(m => m.Role == ChatRole.User)?.Text.Trim() ?? string.Empty;
        var text = options?.ResponseFormat is ChatResponseFormatJson
            ? $"{{\"echo\": {JsonSerializer.Serialize(lastUserText)}}}"
            : lastUserText.Length == 0 ? Prefix : $"{Prefix} {lastUserText}";

        var finishReason = ChatFinishReason.Stop;
        text = CutAtStopSequence(text, options?.StopSequences);

        var words = new List<string>();
        var emitted = new StringBuilder();
        foreach (Match match in Word().Matches(text))
        {
            if (options?.MaxOutputTokens is { } maxTokens && tokenCounter.CountTokens(emitted + match.Value) > maxTokens)
            {
                finishReason = ChatFinishReason.Length;
                break;
            }

            words.Add(match.Value);
            emitted.Append(match.Value);
        }

        var inputTokens = tokenCounter.CountTokens(history);
        var outputTokens = tokenCounter.CountTokens(emitted.ToString());
        var usage = new UsageDetails
        {
            InputTokenCount = inputTokens,
            OutputTokenCount = outputTokens,
            TotalTokenCount = inputTokens + outputTokens,
        };
        return new EchoAnswer(words, finishReason, usage);
    }

    private static string CutAtStopSequence(string text, IList<string>? stopSequences)
    {
        if (stopSequences is null)
        {
            return text;
        }

        var cut = text.Length;
        foreach (var stop in stopSequences.Where(s => !string.IsNullOrEmpty(s)))
        {
            var index = text.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && index < cut)
            {
                cut = index;
            }
        }

        return text[..cut];
    }

    private ChatResponseUpdate Update(string id, IList<AIContent> contents) => new(ChatRole.Assistant, contents)
    {
        ResponseId = id,
        MessageId = id,
        ModelId = model.UpstreamModel,
        CreatedAt = timeProvider.GetUtcNow(),
    };

    private static string NewResponseId() => $"echo-{Guid.NewGuid():N}";

    /// <summary>A word with the whitespace before it, so that the words concatenate back to the text.</summary>
    [GeneratedRegex(@"\s*\S+")]
    private static partial Regex Word();

    private sealed record EchoAnswer(IReadOnlyList<string> Words, ChatFinishReason FinishReason, UsageDetails Usage);
}
