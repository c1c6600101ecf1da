using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Security;
using MediatR;

namespace Devana.Application.Common.Behaviors;

/// <summary>
/// Second in the pipeline (after logging, before validation, as JT orders authorization): requests
/// marked <see cref="IRequireWorkspaceAdmin"/> need a workspace admin.
/// </summary>
public sealed class WorkspaceAdminBehavior<TRequest, TResponse>(ICurrentPrincipal principal) : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (request is IRequireWorkspaceAdmin && !principal.IsWorkspaceAdmin)
        {
            throw new ForbiddenAccessException(ErrorCodes.AccessDenied, "Only a workspace owner or admin, or a client holding the admin scope, may do this.");
        }

        return next();
    }
}
