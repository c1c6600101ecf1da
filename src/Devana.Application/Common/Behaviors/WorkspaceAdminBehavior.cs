using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Security;
using MediatR;

namespace Devana.Application.Common.Behaviors;

/// <summary>
/// Refuses requests marked <see cref="IRequireWorkspaceAdmin"/> from callers that do not administer their
/// workspace. It runs before validation, so a non-admin learns nothing from the shape of its request.
/// The token's <c>admin</c> scope is the API's own check (403 <c>insufficient_scope</c>).
/// </summary>
public sealed class WorkspaceAdminBehavior<TRequest, TResponse>(ICurrentPrincipal caller) : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (request is IRequireWorkspaceAdmin && !caller.IsWorkspaceAdmin)
        {
            throw new ForbiddenAccessException(
                ErrorCodes.AccessDenied,
                "Only an admin of the workspace may do this: a user with the owner or admin role, or a client granted the admin scope.");
        }

        return next();
    }
}
