using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.GetAgent;

public sealed record GetAgentQuery(string Id) : IRequest<AgentDto>;
