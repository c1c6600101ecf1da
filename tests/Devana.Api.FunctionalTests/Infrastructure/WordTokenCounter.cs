using Devana.Application.Llm.Common;
using Microsoft.Extensions.AI;

namespace Devana.Api.FunctionalTests.Infrastructure;

/// <summary>One token per whitespace-separated word (plus 4 per message): deterministic, for tests.</summary>
public sealed class WordTokenCounter : ITokenCounter
{
    public int CountTokens(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    public int CountTokens(IEnumerable<ChatMessage> messages) => messages.Sum(m => CountTokens(m.Text) + 4);
}
