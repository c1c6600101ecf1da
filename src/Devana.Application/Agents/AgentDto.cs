using System.Text.Json.Serialization;
using Devana.Application.Tools;

namespace Devana.Application.Agents;

/// <summary>The agent object of CONTRACT.md §3 (<c>"object": "agent"</c>), timestamps in Unix seconds.</summary>
public sealed record AgentDto
{
    public required string Id { get; init; }

    public string Object => "agent";

    public required string Name { get; init; }

    public string? Description { get; init; }

    public string? Instructions { get; init; }

    /// <summary>The default LLM id; null follows the catalog's default.</summary>
    public string? Model { get; init; }

    public required IReadOnlyList<string> AllowedModels { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? MaxTokens { get; init; }

    public string? Lang { get; init; }

    public string? WelcomeMessage { get; init; }

    /// <summary><c>private</c> or <c>workspace</c>.</summary>
    public required string Visibility { get; init; }

    public required IReadOnlyList<string> FileIds { get; init; }

    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>The tools Devana runs for the agent: shown to its owner and workspace admins only (absent for others).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AgentToolDto>? Tools { get; init; }

    /// <summary>Rounds of tool calls per completion (default 5).</summary>
    public int MaxToolRounds { get; init; }

    public required string OwnerId { get; init; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }
}
