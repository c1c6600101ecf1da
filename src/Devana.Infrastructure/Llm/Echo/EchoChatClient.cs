using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Devana.Application.Llm.Common;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.Llm.Echo;

/// <summary>
/// The built-in offline LLM (docs/llm-providers.md): answers "Echo: &lt;last user message&gt;" (or
/// <c>{"echo": "&lt;last user message&gt;"}</c> when JSON is asked for), one update per word. It honours stop
/// sequences (finish reason <c>stop</c>) and the output token limit (finish reason <c>length</c>, whole words
/// only), and counts usage with the real tokenizer. Temperature and top_p are accepted and ignored:
/// the answer is deterministic. No network.
/// <para>
/// Tools, offline: offered tools (and a <c>tool_choice</c> other than <c>none</c>), a last user message
/// <c>call &lt;function&gt; {json arguments}</c> makes it call that function (the arguments default to
/// <c>{}</c>), and several such lines make it call them all at once; <c>tool_choice</c> <c>required</c> or a named function makes it call the first offered or the
/// named one, with the user's text as a JSON object's <c>input</c>. When the last message is a tool
/// result it answers "Echo: &lt;result&gt;". Images in the last user message are counted: "Echo: … [1 image]".
/// </para>
/// </summary>
internal sealed partial class EchoChatClient(LlmModel model, ITokenCounter tokenCounter, TimeProvider timeProvider) : IChatClient
{
    public const string Prefix = "Echo:";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var answer = Answer(messages, options);
        var id = NewResponseId();
        if (answer.ToolCalls is { Count: > 0 } calls)
        {
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [.. calls]) { MessageId = id })
            {
                ResponseId = id,
                ModelId = model.UpstreamModel,
                CreatedAt = timeProvider.GetUtcNow(),
                FinishReason = ChatFinishReason.ToolCalls,
                Usage = answer.Usage,
            });
        }

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
        if (answer.ToolCalls is { Count: > 0 } calls)
        {
            await Task.Yield();
            var called = Update(id, [.. calls, new UsageContent(answer.Usage)]);
            called.FinishReason = ChatFinishReason.ToolCalls;
            yield return called;
            yield break;
        }

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
        var inputTokens = tokenCounter.CountTokens(history);
        var lastUser = history.LastOrDefault(m => m.Role == ChatRole.User);
        var lastUserText = lastUser?.Text.Trim() ?? string.Empty;
        if (ToolCallsFor(lastUserText, history.LastOrDefault(), options) is { Count: > 0 } toolCalls)
        {
            var callTokens = toolCalls.Sum(c => tokenCounter.CountTokens(c.Name) + tokenCounter.CountTokens(JsonSerializer.Serialize(c.Arguments)));
            return new EchoAnswer([], ChatFinishReason.ToolCalls, new UsageDetails
            {
                InputTokenCount = inputTokens,
                OutputTokenCount = callTokens,
                TotalTokenCount = inputTokens + callTokens,
            }, toolCalls);
        }

        if (history.LastOrDefault() is { Role.Value: "tool" } toolResult)
        {
            lastUserText = string.Join(' ', toolResult.Contents.OfType<FunctionResultContent>().Select(r => r.Result?.ToString()?.Trim()));
        }
        else if (lastUser?.Contents.Count(c => c is DataContent or UriContent) is > 0 and var images)
        {
            lastUserText = $"{lastUserText} [{images} image{(images == 1 ? string.Empty : "s")}]".Trim();
        }

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

        var outputTokens = tokenCounter.CountTokens(emitted.ToString());
        var usage = new UsageDetails
        {
            InputTokenCount = inputTokens,
            OutputTokenCount = outputTokens,
            TotalTokenCount = inputTokens + outputTokens,
        };
        return new EchoAnswer(words, finishReason, usage);
    }

    /// <summary>The calls the echo LLM makes, if any: see the class summary. Several lines of <c>call …</c> make several calls at once.</summary>
    private static List<FunctionCallContent> ToolCallsFor(string lastUserText, ChatMessage? last, ChatOptions? options)
    {
        var functions = options?.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
        if (functions.Count == 0 || options!.ToolMode is NoneChatToolMode || last?.Role != ChatRole.User)
        {
            return [];
        }

        var lines = lastUserText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length > 1 && lines.All(line => CallCommand().Match(line) is { Success: true } m && functions.Any(f => f.Name == m.Groups["name"].Value)))
        {
            return lines.Select(line => ToolCallFor(line, functions, options)!).ToList();
        }

        return ToolCallFor(lastUserText, functions, options) is { } call ? [call] : [];
    }

    private static FunctionCallContent? ToolCallFor(string lastUserText, List<AIFunctionDeclaration> functions, ChatOptions options)
    {
        var match = CallCommand().Match(lastUserText);
        if (match.Success && functions.Any(f => f.Name == match.Groups["name"].Value))
        {
            var arguments = match.Groups["args"].Success ? match.Groups["args"].Value : "{}";
            try
            {
                return NewCall(match.Groups["name"].Value, JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments) ?? []);
            }
            catch (JsonException)
            {
                return NewCall(match.Groups["name"].Value, new Dictionary<string, object?> { ["input"] = arguments });
            }
        }

        var forced = options.ToolMode switch
        {
            RequiredChatToolMode { RequiredFunctionName: { } name } => name,
            RequiredChatToolMode => functions[0].Name,
            _ => null,
        };
        return forced is null ? null : NewCall(forced, new Dictionary<string, object?> { ["input"] = lastUserText });
    }

    private static FunctionCallContent NewCall(string name, IDictionary<string, object?> arguments) =>
        new($"call_{Guid.NewGuid():N}"[..29], name, arguments);

    /// <summary><c>call &lt;function&gt;</c>, optionally followed by the JSON arguments.</summary>
    [GeneratedRegex(@"^call\s+(?<name>[A-Za-z0-9_-]{1,64})\s*(?<args>\{.*\})?\s*$", RegexOptions.Singleline)]
    private static partial Regex CallCommand();

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

    private sealed record EchoAnswer(IReadOnlyList<string> Words, ChatFinishReason FinishReason, UsageDetails Usage, IReadOnlyList<FunctionCallContent>? ToolCalls = null);
}
