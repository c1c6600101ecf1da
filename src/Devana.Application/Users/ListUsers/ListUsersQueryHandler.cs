using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Paging;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Users.ListUsers;

internal sealed class ListUsersQueryHandler(IApplicationDbContext db, ICurrentPrincipal principal, IMapper mapper)
    : IRequestHandler<ListUsersQuery, ListResult<UserDto>>
{
    public async Task<ListResult<UserDto>> Handle(ListUsersQuery request, CancellationToken cancellationToken)
    {
        var cursor = request.Page.Validate();
        var limit = request.Page.EffectiveLimit;
        var workspaceId = principal.WorkspaceId;
        var query = db.Users.AsNoTracking().Where(user => user.WorkspaceId == workspaceId);
        if (cursor is not null)
        {
            var createdAt = new DateTimeOffset(cursor.CreatedAtTicks, TimeSpan.Zero);
            query = query.Where(user => user.CreatedAt < createdAt || (user.CreatedAt == createdAt && string.Compare(user.Id, cursor.Id) < 0));
        }

        var fetched = await query
            .OrderByDescending(user => user.CreatedAt)
            .ThenByDescending(user => user.Id)
            .Take(limit + 1)
            .ToListAsync(cancellationToken);
        return ListResult<UserDto>.FromFetched(fetched, limit, user => PageCursor.From(user.CreatedAt, user.Id), mapper.Map<UserDto>);
    }
}
