using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Paging;
using Devana.Domain.Agents;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.ListModels;

internal sealed class ListModelsQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper)
    : IRequestHandler<ListModelsQuery, ListResult<ModelDto>>
{
    public async Task<ListResult<ModelDto>> Handle(ListModelsQuery request, CancellationToken cancellationToken)
    {
        var usable = db.Agents.AsNoTracking().Where(Agent.UsableBy(caller.ToActor()));
        if (request.Page.Limit is not null || request.Page.After is not null)
        {
            return await usable.ToPageAsync(request.Page, a => a.CreatedAt, a => a.Id, mapper.Map<ModelDto>, cancellationToken);
        }

        var agents = await usable
            .OrderByDescending(a => a.CreatedAt)
            .ThenByDescending(a => a.Id)
            .ToListAsync(cancellationToken);
        return new ListResult<ModelDto>(agents.Select(mapper.Map<ModelDto>).ToList(), HasMore: false, NextCursor: null);
    }
}
