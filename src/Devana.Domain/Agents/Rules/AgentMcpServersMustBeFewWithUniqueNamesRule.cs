using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

/// <summary>At most <see cref="Max"/> MCP servers, no two with the same name.</summary>
public sealed class AgentMcpServersMustBeFewWithUniqueNamesRule(IReadOnlyList<AgentMcpServer> servers) : IBusinessRule
{
    public const int Max = 8;

    private string? Duplicate => servers.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;

    public bool IsBroken() => servers.Count > Max || Duplicate is not null;

    public string Message => servers.Count > Max
        ? $"An agent has at most {Max} MCP servers (got {servers.Count})."
        : $"MCP server names must be unique in the agent: '{Duplicate}' is used twice.";

    public string? Param => "mcp_servers";
}
