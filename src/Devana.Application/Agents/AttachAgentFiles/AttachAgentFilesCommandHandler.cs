using AutoMapper;
using Devana.Application.Common.Interfaces;
using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.AttachAgentFiles;

internal sealed class AttachAgentFilesCommandHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper, TimeProvider clock)
    : IRequestHandler<AttachAgentFilesCommand, AgentDto>
{
    public async Task<AgentDto> Handle(AttachAgentFilesCommand request, CancellationToken cancellationToken)
    {
        var actor = caller.ToActor();
        var agent = await db.GetAgentAsync(actor, request.AgentId, cancellationToken);
        agent.EnsureCanBeChangedBy(actor);

        var ids = await db.CheckUsableAsync(actor, request.FileIds!, cancellationToken);
        agent.AttachFiles(ids, actor, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<AgentDto>(agent);
    }
}
