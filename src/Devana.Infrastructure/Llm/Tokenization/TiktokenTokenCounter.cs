using System.Text.Json;
using Devana.Application.Llm.Common;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Devana.Infrastructure.Llm.Tokenization;

/// <summary>
/// Counts with o200k_base (the GPT-4o family's encoding), the nearest thing to a common tokenizer for all
/// providers. For other model families the count is an estimate, which is all prompt trimming needs.
/// Thread-safe; registered as a singleton because loading the vocabulary takes a moment.
/// </summary>
internal sealed class TiktokenTokenCounter : ITokenCounter
{
    // OpenAI's accounting for chat prompts: each message costs a few tokens of framing
    // (<|start|>{role}...<|end|>), and the reply is primed with <|start|>assistant<|message|>.
    internal const int TokensPerMessage = 3;
    internal const int TokensPerName = 1;
    internal const int TokensPerReply = 3;

    private readonly Tokenizer _tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");

    public int CountTokens(string text) => string.IsNullOrEmpty(text) ? 0 : _tokenizer.CountTokens(text);

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
