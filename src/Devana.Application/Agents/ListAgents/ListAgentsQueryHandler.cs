using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Paging;
using Devana.Domain.Agents;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.ListAgents;

internal sealed class ListAgentsQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper)
    : IRequestHandler<ListAgentsQuery, ListResult<AgentDto>>
{
    public async Task<ListResult<AgentDto>> Handle(ListAgentsQuery request, CancellationToken cancellationToken)
    {
        var actor = caller.ToActor();
        return await db.Agents.AsNoTracking().Where(Agent.ViewableBy(actor))
            .ToPageAsync(request.Page, a => a.CreatedAt, a => a.Id, a => a.ToDto(actor, mapper), cancellationToken);
    }
}
