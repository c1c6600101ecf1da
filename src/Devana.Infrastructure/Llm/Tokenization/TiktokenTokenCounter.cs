using System.Text.Json;
using Devana.Application.Llm.Common;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Devana.Infrastructure.Llm.Tokenization;

/// <summary>
/// Counts with o200k_base (the GPT-4o family's encoding), the nearest thing to a common tokenizer for all
/// providers. For other model families the count is an estimate, which is all prompt trimming needs.
/// Thread-safe. The vocabulary (about 40 MB, half a second to load on the 2-core build machine) is loaded once
/// per process and shared by every instance; <see cref="Preload"/> starts loading it in the background when the
/// host starts (<see cref="TokenizerPreload"/>), so that a fresh instance's first completions do not wait for it.
/// </summary>
internal sealed class TiktokenTokenCounter : ITokenCounter
{
    // OpenAI's accounting for chat prompts: each message costs a few tokens of framing
    // (<|start|>{role}...<|end|>), and the reply is primed with <|start|>assistant<|message|>.
    internal const int TokensPerMessage = 3;
    internal const int TokensPerName = 1;
    internal const int TokensPerReply = 3;

    /// <summary>Loaded by the first thread that needs it; the others wait for that load instead of starting their own.</summary>
    private static readonly Lazy<Tokenizer> s_tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Starts loading the vocabulary on the thread pool unless it is loaded, and returns at once; a load already under way is joined, not repeated.</summary>
    /// <returns>The load, for a caller that wants to wait for it.</returns>
    public static Task Preload() => s_tokenizer.IsValueCreated ? Task.CompletedTask : Task.Run(() => s_tokenizer.Value);

    public int CountTokens(string text) => string.IsNullOrEmpty(text) ? 0 : s_tokenizer.Value.CountTokens(text);

    public int CountTokens(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var total = 0;
        var any = false;
        foreach (var message in messages)
        {
            any = true;
            total += TokensPerMessage + CountTokens(message.Role.Value) + CountTokens(message.Text) + CountToolTokens(message);
            if (!string.IsNullOrEmpty(message.AuthorName))
            {
                total += TokensPerName + CountTokens(message.AuthorName);
            }
        }

        return any ? total + TokensPerReply : 0;
    }

    /// <summary>Tool calls (name and JSON arguments) and tool results are text the LLM reads too.</summary>
    private int CountToolTokens(ChatMessage message)
    {
        var total = 0;
        foreach (var content in message.Contents)
        {
            total += content switch
            {
                FunctionCallContent call => CountTokens(call.CallId) + CountTokens(call.Name) + CountTokens(call.Arguments is null ? string.Empty : JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions)),
                FunctionResultContent result => CountTokens(result.CallId) + CountTokens(result.Result?.ToString() ?? string.Empty),
                _ => 0,
            };
        }

        return total;
    }
}
