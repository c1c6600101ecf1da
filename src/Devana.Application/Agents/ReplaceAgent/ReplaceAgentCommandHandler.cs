using AutoMapper;
using Devana.Application.Common.Interfaces;
using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.ReplaceAgent;

internal sealed class ReplaceAgentCommandHandler(IApplicationDbContext db, ICurrentPrincipal caller, TimeProvider clock, IMapper mapper, ISecretProtector secrets)
    : IRequestHandler<ReplaceAgentCommand, AgentDto>
{
    public async Task<AgentDto> Handle(ReplaceAgentCommand request, CancellationToken cancellationToken)
    {
        var actor = caller.ToActor();
        var agent = await db.GetAgentAsync(actor, request.AgentId, cancellationToken);
        agent.Update(actor, current => request.ToDefinition(mapper, current, secrets), clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<AgentDto>(agent);
    }
}
