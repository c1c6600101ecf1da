using Devana.Domain.Clients;
using Devana.Domain.Users;
using Devana.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// The reads the OAuth endpoints need (<c>AuthorizationController</c>, protocol code outside MediatR): a user
/// by id and a client by client id, untracked. Keeps persistence out of the controller.
/// </summary>
public sealed class PrincipalDirectory(DevanaDbContext db)
{
    public async Task<User?> FindUserAsync(string? id, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(id) ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(user => user.Id == id, cancellationToken);

    public async Task<ApiClient?> FindClientAsync(string? clientId, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(clientId) ? null : await db.ApiClients.AsNoTracking().FirstOrDefaultAsync(client => client.ClientId == clientId, cancellationToken);
}
