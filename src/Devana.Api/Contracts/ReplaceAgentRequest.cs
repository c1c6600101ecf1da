using Devana.Application.Agents.ReplaceAgent;
using Devana.Application.Tools;

namespace Devana.Api.Contracts;

/// <summary>The body of <c>PUT /v1/agents/{id}</c>: the whole agent (absent fields return to their defaults).</summary>
public sealed record ReplaceAgentRequest(
    string? Name,
    string? Description = null,
    string? Instructions = null,
    string? Model = null,
    IReadOnlyList<string>? AllowedModels = null,
    double? Temperature = null,
    double? TopP = null,
    int? MaxTokens = null,
    string? Lang = null,
    string? WelcomeMessage = null,
    string? Visibility = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    IReadOnlyList<AgentToolSettings>? Tools = null,
    int? MaxToolRounds = null,
    IReadOnlyList<McpServerSettings>? McpServers = null,
    IReadOnlyList<string>? FallbackModels = null,
    string? Id = null)
{
    public ReplaceAgentCommand ToCommand(string id)
    {
        AgentIds.CheckUnchanged(id, Id is not null, Id);
        return new(id, Name, Description, Instructions, Model, AllowedModels, Temperature, TopP, MaxTokens, Lang, WelcomeMessage, Visibility, Metadata, Tools, MaxToolRounds, McpServers, FallbackModels);
    }
}
