using Devana.Application.Llm.Common;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.IntegrationTests.Files;

/// <summary>One token per whitespace-separated word: deterministic and easy to reason about.</summary>
public sealed class WordTokenCounter : ITokenCounter
{
    public int CountTokens(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    public int CountTokens(IEnumerable<ChatMessage> messages) => messages.Sum(m => CountTokens(m.Text) + 4);
}

/// <summary>One token per four characters (rounded up), like BPE on text without spaces.</summary>
public sealed class CharacterTokenCounter : ITokenCounter
{
    public int CountTokens(string text) => (text.Length + 3) / 4;

    public int CountTokens(IEnumerable<ChatMessage> messages) => messages.Sum(m => CountTokens(m.Text) + 4);
}
