using Devana.Application.Common.Interfaces;
using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.DeleteAgent;

internal sealed class DeleteAgentCommandHandler(IApplicationDbContext db, ICurrentPrincipal caller, TimeProvider clock)
    : IRequestHandler<DeleteAgentCommand, Unit>
{
    public async Task<Unit> Handle(DeleteAgentCommand request, CancellationToken cancellationToken)
    {
        var actor = caller.ToActor();
        var agent = await db.GetAgentAsync(actor, request.Id, cancellationToken);
        agent.Delete(actor, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
