using System.Text.Json;
using Devana.Domain.Agents;

namespace Devana.Application.Tools;

/// <summary>
/// The tools of an agent's MCP server (docs/tools.md), over Streamable HTTP: listed once and kept for a while
/// (the list is refreshed after <c>Devana:Tools:McpListSeconds</c>), filtered by <c>allowed_tools</c>.
/// </summary>
public interface IMcpToolSource
{
    /// <exception cref="Common.Exceptions.UpstreamException">The server cannot be reached or does not answer in time: the message names it.</exception>
    Task<IReadOnlyList<McpToolHandle>> GetToolsAsync(AgentMcpServer server, CancellationToken cancellationToken);
}

/// <summary>One tool of an MCP server: what the LLM is told, and how to call it with the JSON text of its arguments.</summary>
public sealed record McpToolHandle(string Name, string Description, JsonElement Schema, Func<string, CancellationToken, Task<AgentToolResult>> CallAsync);
