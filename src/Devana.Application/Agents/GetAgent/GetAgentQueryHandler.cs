using AutoMapper;
using Devana.Application.Common.Interfaces;
using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.GetAgent;

internal sealed class GetAgentQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper)
    : IRequestHandler<GetAgentQuery, AgentDto>
{
    public async Task<AgentDto> Handle(GetAgentQuery request, CancellationToken cancellationToken)
    {
        var actor = caller.ToActor();
        var agent = await db.GetAgentAsync(actor, request.Id, cancellationToken);
        agent.EnsureCanBeViewedBy(actor);

        return agent.ToDto(actor, mapper);
    }
}
