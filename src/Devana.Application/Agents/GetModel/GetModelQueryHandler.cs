using AutoMapper;
using Devana.Application.Common.Interfaces;
using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.GetModel;

internal sealed class GetModelQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper)
    : IRequestHandler<GetModelQuery, ModelDto>
{
    public async Task<ModelDto> Handle(GetModelQuery request, CancellationToken cancellationToken)
    {
        var agent = await db.GetUsableAgentAsync(caller.ToActor(), request.Id, cancellationToken);
        return mapper.Map<ModelDto>(agent);
    }
}
