using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Paging;
using Devana.Domain.Agents;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Agents.ListAgents;

internal sealed class ListAgentsQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper)
    : IRequestHandler<ListAgentsQuery, ListResult<AgentDto>>
{
    public async Task<ListResult<AgentDto>> Handle(ListAgentsQuery request, CancellationToken cancellationToken)
    {
        var cursor = request.Page.Validate();
        var limit = request.Page.EffectiveLimit;
        var query = db.Agents.AsNoTracking().Where(Agent.ViewableBy(caller.ToActor()));
        if (cursor is not null)
        {
            var createdAt = new DateTimeOffset(cursor.CreatedAtTicks, TimeSpan.Zero);
            var id = cursor.Id;
            query = query.Where(a => a.CreatedAt < createdAt || (a.CreatedAt == createdAt && string.Compare(a.Id, id) < 0));
        }

        var fetched = await query
            .OrderByDescending(a => a.CreatedAt)
            .ThenByDescending(a => a.Id)
            .Take(limit + 1)
            .ToListAsync(cancellationToken);
        return ListResult<AgentDto>.FromFetched(fetched, limit, a => PageCursor.From(a.CreatedAt, a.Id), mapper.Map<AgentDto>);
    }
}
