using Microsoft.Extensions.AI;

namespace Devana.Application.Llm.Common;

/// <summary>Counts tokens with a real tokenizer (o200k_base), for prompt estimates and history trimming.</summary>
public interface ITokenCounter
{
    int CountTokens(string text);

    /// <summary>The tokens of a message list as chat models see it, per-message overhead included.</summary>
    int CountTokens(IEnumerable<ChatMessage> messages);
}
