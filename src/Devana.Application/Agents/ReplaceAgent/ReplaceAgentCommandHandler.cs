using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Tools;
using MediatR;

namespace Devana.Application.Agents.ReplaceAgent;

internal sealed class ReplaceAgentCommandHandler(IApplicationDbContext db, ICurrentPrincipal caller, TimeProvider clock, IMapper mapper, ISecretProtector secrets)
    : IRequestHandler<ReplaceAgentCommand, AgentDto>
{
    public async Task<AgentDto> Handle(ReplaceAgentCommand request, CancellationToken cancellationToken)
    {
        var actor = caller.ToActor();
        var agent = await db.GetAgentAsync(actor, request.Id, cancellationToken);
        // Access first: someone who may not change the agent learns nothing from its rules.
        agent.EnsureCanBeChangedBy(actor);
        agent.Update(request.ToDefinition(AgentToolDefinitions.Build(request.Tools, agent.Tools, secrets)), actor, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<AgentDto>(agent);
    }
}
