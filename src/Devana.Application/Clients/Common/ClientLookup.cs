using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Clients;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Clients.Common;

internal static class ClientLookup
{
    /// <summary>The caller's workspace's client <paramref name="id"/>; another workspace's is a 404 like an unknown one.</summary>
    public static async Task<ApiClient> FindInWorkspaceAsync(this IApplicationDbContext db, string workspaceId, string id, CancellationToken cancellationToken) =>
        await db.ApiClients.FirstOrDefaultAsync(client => client.Id == id && client.WorkspaceId == workspaceId, cancellationToken)
        ?? throw new NotFoundException(ErrorCodes.ClientNotFound, $"No client '{id}'.", "id");
}
