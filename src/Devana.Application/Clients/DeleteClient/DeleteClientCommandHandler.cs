using Devana.Application.Clients.Common;
using Devana.Application.Common.Interfaces;
using MediatR;

namespace Devana.Application.Clients.DeleteClient;

internal sealed class DeleteClientCommandHandler(IApplicationDbContext db, IOAuthApplicationRegistry registry, ICurrentPrincipal principal)
    : IRequestHandler<DeleteClientCommand, Unit>
{
    public async Task<Unit> Handle(DeleteClientCommand request, CancellationToken cancellationToken)
    {
        var client = await db.FindInWorkspaceAsync(principal.WorkspaceId, request.Id, cancellationToken);
        client.EnsureCanBeDeleted();
        db.ApiClients.Remove(client);
        await registry.DeleteAsync(client, cancellationToken);
        return Unit.Value;
    }
}
