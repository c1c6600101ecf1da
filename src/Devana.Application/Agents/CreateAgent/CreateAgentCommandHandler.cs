using AutoMapper;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Agents;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.CreateAgent;

internal sealed class CreateAgentCommandHandler(IApplicationDbContext db, ICurrentPrincipal caller, TimeProvider clock, IMapper mapper, ISecretProtector secrets)
    : IRequestHandler<CreateAgentCommand, AgentDto>
{
    public async Task<AgentDto> Handle(CreateAgentCommand request, CancellationToken cancellationToken)
    {
        var actor = caller.ToActor();
        var agent = Agent.Create(request.Id, actor, request.ToDefinition(mapper, current: null, secrets), clock.GetUtcNow());

        if (request.Id is not null && await IsTakenAsync(agent, cancellationToken))
        {
            throw Conflict(agent);
        }

        if (request.FileIds is { Count: > 0 })
        {
            agent.AttachFiles(await db.CheckUsableAsync(actor, request.FileIds, cancellationToken), actor, clock.GetUtcNow());
        }

        db.Agents.Add(agent);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two requests raced for the same slug: the primary key (workspace_id, id) let one through.
            if (request.Id is not null && await IsTakenAsync(agent, cancellationToken))
            {
                throw Conflict(agent);
            }

            throw;
        }

        return mapper.Map<AgentDto>(agent);
    }

    /// <summary>Deleted agents keep their id: their conversations still name it.</summary>
    private Task<bool> IsTakenAsync(Agent agent, CancellationToken cancellationToken) =>
        db.Agents.AsNoTracking().AnyAsync(a => a.WorkspaceId == agent.WorkspaceId && a.Id == agent.Id, cancellationToken);

    private static ConflictException Conflict(Agent agent) =>
        new($"An agent with id '{agent.Id}' already exists in this workspace (ids of deleted agents are not reused).", "id");
}
