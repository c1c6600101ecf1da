using Devana.Application.Common.Security;
using Devana.Application.Users.Common;
using Devana.Domain.Users;
using MediatR;

namespace Devana.Application.Users.CreateUser;

/// <summary><c>POST /v1/users</c>: a new user of the caller's workspace, who signs in on the login page.</summary>
public sealed record CreateUserCommand(string? Email, string? Password, UserRole? Role, string? Name)
    : IRequest<UserDto>, IRequireWorkspaceAdmin;
