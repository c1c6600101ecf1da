using MediatR;

namespace Devana.Application.Agents.GetAgent;

public sealed record GetAgentQuery(string Id) : IRequest<AgentDto>;
