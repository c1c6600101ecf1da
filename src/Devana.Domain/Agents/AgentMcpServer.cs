namespace Devana.Domain.Agents;

/// <summary>
/// An MCP server whose tools the agent may use (docs/tools.md), reached over Streamable HTTP.
/// </summary>
/// <param name="Name">How the agent's settings name it: <c>[a-z0-9_-]{1,32}</c>, unique in the agent.</param>
/// <param name="Url">The server's Streamable HTTP endpoint, on a host <c>Devana:Tools:AllowedHosts</c> allows.</param>
/// <param name="Headers">Header names and their values <b>protected</b> (encrypted by the Application): never shown.</param>
/// <param name="AllowedTools">The server's tools the LLM is offered; empty offers them all.</param>
public sealed record AgentMcpServer(string Name, string Url, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<string> AllowedTools)
{
    /// <summary>Value equality, headers and tools compared by content.</summary>
    public bool Equals(AgentMcpServer? other) =>
        other is not null && Name == other.Name && Url == other.Url
        && AllowedTools.SequenceEqual(other.AllowedTools, StringComparer.Ordinal)
        && Headers.Count == other.Headers.Count
        && Headers.All(h => other.Headers.TryGetValue(h.Key, out var value) && value == h.Value);

    public override int GetHashCode() => HashCode.Combine(Name, Url, Headers.Count, AllowedTools.Count);
}
