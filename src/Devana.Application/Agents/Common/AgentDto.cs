using System.Text.Json.Serialization;

namespace Devana.Application.Agents.Common;

/// <summary>
/// The agent object of docs/api.md#agents (<c>"object": "agent"</c>): its <see cref="AgentSettings"/> with the
/// id, knowledge files, owner and timestamps (Unix seconds). <c>max_tool_rounds</c> shows its default;
/// <c>tools</c> and <c>mcp_servers</c> are left out for those who may not change the agent.
/// </summary>
public sealed record AgentDto(string? Name) : AgentSettings(Name)
{
    [JsonPropertyOrder(-2)]
    public required string Id { get; init; }

    [JsonPropertyOrder(-1)]
    public string Object => "agent";

    [JsonPropertyOrder(1)]
    public required IReadOnlyList<string> FileIds { get; init; }

    [JsonPropertyOrder(3)]
    public required string OwnerId { get; init; }

    [JsonPropertyOrder(3)]
    public long CreatedAt { get; init; }

    [JsonPropertyOrder(3)]
    public long UpdatedAt { get; init; }
}
