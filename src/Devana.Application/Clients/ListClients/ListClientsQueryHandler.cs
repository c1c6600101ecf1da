using AutoMapper;
using Devana.Application.Clients.Common;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Paging;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Clients.ListClients;

internal sealed class ListClientsQueryHandler(IApplicationDbContext db, ICurrentPrincipal principal, IMapper mapper)
    : IRequestHandler<ListClientsQuery, ListResult<ClientDto>>
{
    public async Task<ListResult<ClientDto>> Handle(ListClientsQuery request, CancellationToken cancellationToken)
    {
        var workspaceId = principal.WorkspaceId;
        return await db.ApiClients.AsNoTracking().Where(client => client.WorkspaceId == workspaceId)
            .ToPageAsync(request.Page, client => client.CreatedAt, client => client.Id, mapper.Map<ClientDto>, cancellationToken);
    }
}
