namespace Devana.Application.Tools;

/// <summary>
/// An <c>mcp_servers[]</c> item of the agent object as written (docs/tools.md): <c>{name, url, headers,
/// allowed_tools}</c>. A header given as null keeps the value stored for that header of the same server.
/// </summary>
public sealed record McpServerSettings(
    string? Name,
    string? Url,
    IReadOnlyDictionary<string, string?>? Headers = null,
    IReadOnlyList<string>? AllowedTools = null)
{
    /// <summary>A stored server as the agent object shows it: header values never (each name maps to null).</summary>
    public static McpServerSettings From(Domain.Agents.AgentMcpServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new McpServerSettings(server.Name, server.Url, server.Headers.Keys.ToDictionary(n => n, _ => (string?)null, StringComparer.OrdinalIgnoreCase), server.AllowedTools);
    }
}
