using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Tools;
using MediatR;

namespace Devana.Application.Agents.UpdateAgent;

internal sealed class UpdateAgentCommandHandler(IApplicationDbContext db, ICurrentPrincipal caller, TimeProvider clock, IMapper mapper, ISecretProtector secrets)
    : IRequestHandler<UpdateAgentCommand, AgentDto>
{
    public async Task<AgentDto> Handle(UpdateAgentCommand request, CancellationToken cancellationToken)
    {
        var actor = caller.ToActor();
        var agent = await db.GetAgentAsync(actor, request.Id, cancellationToken);
        agent.EnsureCanBeChangedBy(actor);
        // The merged settings go through every rule again, so a patch cannot leave the agent inconsistent
        // (e.g. a new model outside the allowed_models already stored).
        var current = agent.ToDefinition();
        if (request.Tools.IsSet)
        {
            current = current with { Tools = AgentToolDefinitions.Build(request.Tools.Value, agent.Tools, secrets) };
        }

        agent.Update(request.ApplyTo(current), actor, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<AgentDto>(agent);
    }
}
