using AutoMapper;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using MediatR;

namespace Devana.Application.Agents.GetAgent;

internal sealed class GetAgentQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper)
    : IRequestHandler<GetAgentQuery, AgentDto>
{
    public async Task<AgentDto> Handle(GetAgentQuery request, CancellationToken cancellationToken)
    {
        var actor = caller.ToActor();
        var agent = await db.GetAgentAsync(actor, request.Id, cancellationToken);
        if (!agent.CanBeViewedBy(actor))
        {
            // Same workspace: its existence is no secret, its settings are (CONTRACT.md §2's 403).
            throw new ForbiddenAccessException(ErrorCodes.AccessDenied, $"Agent '{agent.Id}' is private to its owner.");
        }

        return agent.ToDto(actor, mapper);
    }
}
