using Devana.Application.Common.Paging;
using Devana.Application.Common.Security;
using Devana.Application.Users.Common;
using MediatR;

namespace Devana.Application.Users.ListUsers;

/// <summary><c>GET /v1/users</c>: the caller's workspace's users, newest first.</summary>
public sealed record ListUsersQuery(PageRequest Page) : IRequest<ListResult<UserDto>>, IRequireWorkspaceAdmin;
