using AutoMapper;
using Devana.Application.Common.Interfaces;
using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.UpdateAgent;

internal sealed class UpdateAgentCommandHandler(IApplicationDbContext db, ICurrentPrincipal caller, TimeProvider clock, IMapper mapper, ISecretProtector secrets)
    : IRequestHandler<UpdateAgentCommand, AgentDto>
{
    public async Task<AgentDto> Handle(UpdateAgentCommand request, CancellationToken cancellationToken)
    {
        var actor = caller.ToActor();
        var agent = await db.GetAgentAsync(actor, request.AgentId, cancellationToken);
        // The merged settings go through every rule again, so a patch cannot leave the agent inconsistent
        // (e.g. a new model outside the allowed_models already stored).
        agent.Update(actor, current => request.ApplyTo(mapper.Map<AgentSettings>(agent)).ToDefinition(mapper, current, secrets), clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<AgentDto>(agent);
    }
}
