using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Paging;
using Devana.Application.Users.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Users.ListUsers;

internal sealed class ListUsersQueryHandler(IApplicationDbContext db, ICurrentPrincipal principal, IMapper mapper)
    : IRequestHandler<ListUsersQuery, ListResult<UserDto>>
{
    public async Task<ListResult<UserDto>> Handle(ListUsersQuery request, CancellationToken cancellationToken)
    {
        var workspaceId = principal.WorkspaceId;
        return await db.Users.AsNoTracking().Where(user => user.WorkspaceId == workspaceId)
            .ToPageAsync(request.Page, user => user.CreatedAt, user => user.Id, mapper.Map<UserDto>, cancellationToken);
    }
}
