using MediatR;

namespace Devana.Application.Agents.DeleteAgent;

/// <summary><c>DELETE /v1/agents/{id}</c>: a soft delete; the agent's conversations stay readable.</summary>
public sealed record DeleteAgentCommand(string Id) : IRequest<Unit>;
