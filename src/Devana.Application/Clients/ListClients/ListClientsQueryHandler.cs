using AutoMapper;
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
        var cursor = request.Page.Validate();
        var limit = request.Page.EffectiveLimit;
        var workspaceId = principal.WorkspaceId;
        var query = db.ApiClients.AsNoTracking().Where(client => client.WorkspaceId == workspaceId);
        if (cursor is not null)
        {
            var createdAt = new DateTimeOffset(cursor.CreatedAtTicks, TimeSpan.Zero);
            query = query.Where(client => client.CreatedAt < createdAt || (client.CreatedAt == createdAt && string.Compare(client.Id, cursor.Id) < 0));
        }

        var fetched = await query
            .OrderByDescending(client => client.CreatedAt)
            .ThenByDescending(client => client.Id)
            .Take(limit + 1)
            .ToListAsync(cancellationToken);
        return ListResult<ClientDto>.FromFetched(fetched, limit, client => PageCursor.From(client.CreatedAt, client.Id), mapper.Map<ClientDto>);
    }
}
