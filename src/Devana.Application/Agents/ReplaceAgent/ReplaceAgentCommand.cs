using System.Text.Json.Serialization;
using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.ReplaceAgent;

/// <summary><c>PUT /v1/agents/{id}</c>: every setting replaced by these; absent ones return to their defaults.</summary>
public sealed record ReplaceAgentCommand(string? Name) : AgentSettings(Name), IRequest<AgentDto>
{
    /// <summary>The agent, from the path (a body's <c>id</c> is only checked against it: it cannot change).</summary>
    [JsonIgnore]
    public string AgentId { get; init; } = string.Empty;

    /// <summary>An <c>id</c> in the body: absent, or the path's.</summary>
    public string? Id { get; init; }
}
