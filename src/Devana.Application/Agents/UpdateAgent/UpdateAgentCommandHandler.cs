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
        // The merged settings go through every rule again, so a patch cannot leave the agent inconsistent
        // (e.g. a new model outside the allowed_models already stored).
        agent.Update(actor, current => request.ApplyTo(current with
        {
            Tools = request.Tools.IsSet ? AgentToolDefinitions.Build(request.Tools.Value, current.Tools, secrets) : current.Tools,
            McpServers = request.McpServers.IsSet ? AgentToolDefinitions.BuildMcpServers(request.McpServers.Value, current.McpServers, secrets) : current.McpServers,
        }), clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<AgentDto>(agent);
    }
}
