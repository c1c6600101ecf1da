using AutoMapper;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Security;
using Devana.Application.Users.Common;
using Devana.Domain.Users;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Users.CreateUser;

internal sealed class CreateUserCommandHandler(
    IApplicationDbContext db,
    IUserPasswordHasher hasher,
    ICurrentPrincipal principal,
    TimeProvider time,
    IMapper mapper) : IRequestHandler<CreateUserCommand, UserDto>
{
    public async Task<UserDto> Handle(CreateUserCommand request, CancellationToken cancellationToken)
    {
        var workspaceId = principal.WorkspaceId;
        // A machine client holding the admin scope acts for the workspace, as an owner would.
        var addedByOwner = principal.Kind == PrincipalKind.Client
            || await db.Users.AnyAsync(user => user.Id == principal.PrincipalId && user.Role == UserRole.Owner, cancellationToken);
        var user = User.AddToWorkspace(workspaceId, request.Email!, request.Name, request.Role!.Value, addedByOwner, time.GetUtcNow());

        if (await db.Users.AnyAsync(existing => existing.WorkspaceId == workspaceId && existing.NormalizedEmail == user.NormalizedEmail, cancellationToken))
        {
            throw new ConflictException($"A user with email '{user.Email}' already exists in this workspace.", "email");
        }

        user.SetPasswordHash(hasher.Hash(user, request.Password!));
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<UserDto>(user);
    }
}
