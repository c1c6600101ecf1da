using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.DetachAgentFile;

internal sealed class DetachAgentFileCommandHandler(IApplicationDbContext db, ICurrentPrincipal caller, TimeProvider clock)
    : IRequestHandler<DetachAgentFileCommand, Unit>
{
    public async Task<Unit> Handle(DetachAgentFileCommand request, CancellationToken cancellationToken)
    {
        var actor = caller.ToActor();
        var agent = await db.GetAgentAsync(actor, request.AgentId, cancellationToken);
        if (!agent.DetachFile(request.FileId, actor, clock.GetUtcNow()))
        {
            throw new NotFoundException(ErrorCodes.FileNotFound, $"Agent '{agent.Id}' has no knowledge file '{request.FileId}'.", "file_id");
        }

        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
