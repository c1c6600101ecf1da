using Devana.Application.Clients.Common;
using Devana.Application.Common.Security;
using Devana.Application.Users.Common;
using Devana.Domain.Clients;
using Devana.Domain.Users;
using Devana.Domain.Workspaces;
using Devana.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// Runs once at start-up, after migrations: creates what <see cref="BootstrapSettings"/> names when it
/// is missing, and leaves what exists alone (a changed admin password or client secret in
/// configuration does not overwrite the stored one). The first-party web client's redirect URIs
/// follow configuration on every start.
/// </summary>
public sealed partial class IdentityBootstrapper(
    DevanaDbContext db,
    IOAuthApplicationRegistry registry,
    IUserPasswordHasher hasher,
    IdentitySettings settings,
    TimeProvider time,
    ILogger<IdentityBootstrapper> logger)
{
    private BootstrapSettings Bootstrap => settings.Bootstrap;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!Bootstrap.Enabled)
        {
            return;
        }

        var workspace = await EnsureWorkspaceAsync(cancellationToken);
        await EnsureAdminAsync(workspace, cancellationToken);
        await EnsureMachineClientAsync(workspace, cancellationToken);
        await EnsureWebClientAsync(workspace, cancellationToken);
    }

    private async Task<Workspace> EnsureWorkspaceAsync(CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.FirstOrDefaultAsync(candidate => candidate.Name == Bootstrap.Workspace, cancellationToken);
        if (workspace is not null)
        {
            return workspace;
        }

        workspace = Workspace.Create(Bootstrap.Workspace, time.GetUtcNow());
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync(cancellationToken);
        LogCreated("workspace", workspace.Name, workspace.Id);
        return workspace;
    }

    private async Task EnsureAdminAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var email = User.NormalizeEmail(Bootstrap.AdminEmail);
        if (await db.Users.AnyAsync(user => user.WorkspaceId == workspace.Id && user.NormalizedEmail == email, cancellationToken))
        {
            return;
        }

        var admin = User.Register(workspace.Id, Bootstrap.AdminEmail, "Administrator", UserRole.Owner, time.GetUtcNow());
        admin.SetPasswordHash(hasher.Hash(admin, Bootstrap.AdminPassword));
        db.Users.Add(admin);
        await db.SaveChangesAsync(cancellationToken);
        LogCreated("owner", admin.Email, admin.Id);
    }

    private async Task EnsureMachineClientAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        if (await db.ApiClients.AnyAsync(client => client.ClientId == Bootstrap.ClientId, cancellationToken))
        {
            return;
        }

        var machine = ApiClient.Register(workspace.Id, "Bootstrap machine client", ClientType.Confidential, Scopes.All, [], time.GetUtcNow(), Bootstrap.ClientId);
        db.ApiClients.Add(machine);
        await registry.RegisterAsync(machine, Bootstrap.ClientSecret, cancellationToken);
        LogCreated("machine client", machine.ClientId, machine.Id);
    }

    private async Task EnsureWebClientAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var web = await db.ApiClients.FirstOrDefaultAsync(client => client.ClientId == DevanaAuthentication.WebClientId, cancellationToken);
        if (web is null)
        {
            web = ApiClient.Register(workspace.Id, "Devana web", ClientType.Public, Scopes.All, Bootstrap.WebRedirectUris, time.GetUtcNow(), DevanaAuthentication.WebClientId, isFirstParty: true);
            db.ApiClients.Add(web);
            await registry.RegisterAsync(web, secret: null, cancellationToken);
            LogCreated("first-party web client", web.ClientId, web.Id);
            return;
        }

        if (!web.RedirectUris.SequenceEqual(Bootstrap.WebRedirectUris, StringComparer.Ordinal))
        {
            web.ReplaceRedirectUris(Bootstrap.WebRedirectUris);
            await registry.UpdateAsync(web, cancellationToken);
            LogRedirectUrisUpdated(web.ClientId, string.Join(' ', web.RedirectUris));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap created the {What} {Name} ({Id})")]
    private partial void LogCreated(string what, string name, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap set the redirect URIs of {ClientId} to {RedirectUris}")]
    private partial void LogRedirectUrisUpdated(string clientId, string redirectUris);
}
