using Devana.Application.Common.Paging;
using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.ListAgents;

/// <summary>
/// <c>GET /v1/agents</c>: the agents the caller may see (its own, those shared with the workspace, and
/// for a workspace admin all of them), newest first.
/// </summary>
public sealed record ListAgentsQuery(PageRequest Page) : IRequest<ListResult<AgentDto>>;
