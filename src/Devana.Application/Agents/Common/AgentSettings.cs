using System.Text.Json.Serialization;
using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Tools;
using Devana.Domain.Agents;

namespace Devana.Application.Agents.Common;

/// <summary>
/// The settings of an agent as the wire carries them (docs/agents.md): the one place that lists the
/// fields an owner sets. <c>POST</c> and <c>PUT</c> bodies are these settings (<see cref="Agents.CreateAgent.CreateAgentCommand"/>,
/// <see cref="Agents.ReplaceAgent.ReplaceAgentCommand"/>); a <c>PATCH</c> body is some of them, laid over the agent's
/// current ones (<see cref="Agents.UpdateAgent.UpdateAgentCommand"/>); the agent object shows them (<see cref="AgentDto"/>).
/// Absent and null are the same here and mean the default. <see cref="AgentSettingsValidator"/> checks what needs
/// more than the agent (the LLM catalog, the wire's names); the value rules are the domain's (<c>Domain/Agents/Rules</c>).
/// </summary>
/// <remarks>
/// A new setting is a property here, one in <c>Domain/Agents/AgentDefinition</c> and one in <c>Agent</c> (plus a
/// migration): AutoMapper carries it between them by name, and the requests, the DTO and PATCH need no change.
/// </remarks>
/// <param name="Name">Required on <c>POST</c> and <c>PUT</c>.</param>
public record AgentSettings(string? Name)
{
    public string? Description { get; init; }

    public string? Instructions { get; init; }

    /// <summary>The default LLM id; null follows the catalog's default.</summary>
    public string? Model { get; init; }

    /// <summary>The LLM ids callers may pick with <c>clientModel</c>; empty allows the whole catalog.</summary>
    public IReadOnlyList<string>? AllowedModels { get; init; }

    /// <summary>LLM ids tried in order when the request's LLM fails before its answer begins.</summary>
    public IReadOnlyList<string>? FallbackModels { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? MaxTokens { get; init; }

    /// <summary>An ISO 639-1 code.</summary>
    public string? Lang { get; init; }

    public string? WelcomeMessage { get; init; }

    /// <summary><c>private</c> (the default) or <c>workspace</c>.</summary>
    public string? Visibility { get; init; }

    // The agent object shows these after its file_ids (JsonPropertyOrder), as docs/agents.md does.
    [JsonPropertyOrder(2)]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>The tools Devana runs for the agent (docs/tools.md); the agent object shows them to its owner and workspace admins only.</summary>
    [JsonPropertyOrder(2)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AgentToolSettings>? Tools { get; init; }

    /// <summary>MCP servers whose tools the agent may use (docs/tools.md); shown like <see cref="Tools"/>.</summary>
    [JsonPropertyOrder(2)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<McpServerSettings>? McpServers { get; init; }

    /// <summary>Rounds of tool calls per completion, 1 to 20 (default 5).</summary>
    [JsonPropertyOrder(2)]
    public int? MaxToolRounds { get; init; }

    /// <summary>
    /// The domain's definition of these (validated) settings: the fields by name, <c>lang</c> and
    /// <c>visibility</c> parsed, the tools built with their header values protected (a null header keeps the
    /// one stored in <paramref name="current"/>: the agent's settings when it is changed, null when it is created).
    /// Defaults: no model (the catalog's default), every model allowed, <c>private</c>, no metadata.
    /// </summary>
    /// <exception cref="Domain.Common.BusinessRuleValidationException"><c>lang</c> is not an ISO 639-1 code.</exception>
    public AgentDefinition ToDefinition(IMapper mapper, AgentDefinition? current, ISecretProtector secrets)
    {
        ArgumentNullException.ThrowIfNull(mapper);
        return mapper.Map<AgentSettings, AgentDefinition>(this) with
        {
            Lang = Lang is null ? null : LanguageCode.Create(Lang),
            Visibility = Visibility is null ? AgentVisibility.Private : AgentVisibilityNames.Parse(Visibility),
            Tools = AgentToolDefinitions.Build(Tools, current?.Tools ?? [], secrets),
            McpServers = AgentToolDefinitions.BuildMcpServers(McpServers, current?.McpServers ?? [], secrets),
        };
    }
}
