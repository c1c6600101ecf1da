using Devana.Application.Agents.UpdateAgent;
using Devana.Application.Common.Models;
using Devana.Application.Tools;

namespace Devana.Api.Contracts;

/// <summary>
/// The body of <c>PATCH /v1/agents/{id}</c>: absent fields are left as they are; null clears. Init
/// properties rather than constructor parameters: a property the JSON lacks is never assigned, so it stays
/// unset (and OpenAPI's schema export has no default value to serialize).
/// </summary>
public sealed record UpdateAgentRequest
{
    public Optional<string?> Name { get; init; }

    public Optional<string?> Description { get; init; }

    public Optional<string?> Instructions { get; init; }

    public Optional<string?> Model { get; init; }

    public Optional<IReadOnlyList<string>?> AllowedModels { get; init; }

    public Optional<double?> Temperature { get; init; }

    public Optional<double?> TopP { get; init; }

    public Optional<int?> MaxTokens { get; init; }

    public Optional<string?> Lang { get; init; }

    public Optional<string?> WelcomeMessage { get; init; }

    public Optional<string?> Visibility { get; init; }

    public Optional<IReadOnlyDictionary<string, string>?> Metadata { get; init; }

    public Optional<IReadOnlyList<AgentToolSettings>?> Tools { get; init; }

    public Optional<int?> MaxToolRounds { get; init; }

    public Optional<IReadOnlyList<McpServerSettings>?> McpServers { get; init; }

    public Optional<IReadOnlyList<string>?> FallbackModels { get; init; }

    public UpdateAgentCommand ToCommand(string id) =>
        new(id, Name, Description, Instructions, Model, AllowedModels, Temperature, TopP, MaxTokens, Lang, WelcomeMessage, Visibility, Metadata, Tools, MaxToolRounds, McpServers, FallbackModels);
}
