namespace Devana.Domain.Agents;

/// <summary>
/// Everything about an agent that its owner sets: what <c>POST</c> and <c>PUT</c> give whole and
/// <c>PATCH</c> changes in part (<see cref="Agent.Update"/> hands over the current ones). The rules are
/// checked when an <see cref="Agent"/> takes it, not here.
/// </summary>
/// <param name="Name">1 to 100 characters.</param>
public sealed record AgentDefinition(string Name)
{
    public string? Description { get; init; }

    public string? Instructions { get; init; }

    /// <summary>The default LLM id; null follows the catalog's default.</summary>
    public string? Model { get; init; }

    /// <summary>The LLM ids callers may pick with <c>clientModel</c>; empty allows the whole catalog.</summary>
    public IReadOnlyList<string> AllowedModels { get; init; } = [];

    /// <summary>
    /// LLM ids tried in order when the LLM picked for a request fails before its answer begins (unreachable,
    /// 408, 429, 5xx, timeout); empty: no fallback.
    /// </summary>
    public IReadOnlyList<string> FallbackModels { get; init; } = [];

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? MaxTokens { get; init; }

    public LanguageCode? Lang { get; init; }

    public string? WelcomeMessage { get; init; }

    public AgentVisibility Visibility { get; init; } = AgentVisibility.Private;

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The tools Devana runs for the agent, header values already protected.</summary>
    public IReadOnlyList<AgentTool> Tools { get; init; } = [];

    /// <summary>MCP servers whose tools the agent may use, header values already protected.</summary>
    public IReadOnlyList<AgentMcpServer> McpServers { get; init; } = [];

    /// <summary>1 to 20; null for <see cref="Agent.DefaultMaxToolRounds"/>.</summary>
    public int? MaxToolRounds { get; init; }
}
