using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.CreateAgent;

/// <summary>
/// <c>POST /v1/agents</c>: a new agent owned by the caller, with these settings; <see cref="Id"/> a slug,
/// or null for <c>agt_…</c>; <see cref="FileIds"/> the caller's processed uploads to make its knowledge.
/// </summary>
public sealed record CreateAgentCommand(string? Name) : AgentSettings(Name), IRequest<AgentDto>
{
    public string? Id { get; init; }

    public IReadOnlyList<string>? FileIds { get; init; }
}
