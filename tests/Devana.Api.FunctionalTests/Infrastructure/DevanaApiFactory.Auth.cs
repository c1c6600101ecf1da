using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Devana.Application.Clients.Common;
using Devana.Application.Common.Security;
using Devana.Application.Users.Common;
using Devana.Domain.Clients;
using Devana.Domain.Users;
using Devana.Domain.Workspaces;
using Devana.Infrastructure.Identity;
using Devana.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Api.FunctionalTests.Infrastructure;

/// <summary>
/// Authenticated callers for functional tests, with REAL access tokens issued by the in-host
/// OpenIddict server: machine clients through <c>/connect/token</c> (client credentials), users through
/// the authorization code + PKCE flow driven over the real login page (<see cref="BrowserSession"/>).
/// Principals and workspaces are seeded directly in the test host's database.
/// </summary>
public partial class DevanaApiFactory
{
    /// <summary>The bootstrap workspace (Development default of <c>Devana:Bootstrap:Workspace</c>).</summary>
    public const string DefaultWorkspace = BootstrapSettings.DefaultWorkspace;

    /// <summary>The password of every user these helpers create.</summary>
    public const string TestUserPassword = "Functional-tests-password-1";

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _workspaceIds = new(StringComparer.Ordinal);

    /// <summary>
    /// A new user of <paramref name="workspace"/> (a logical name: <c>"default"</c> is the bootstrap
    /// workspace, any other name is created once per factory) with <paramref name="role"/>
    /// (<c>owner</c>, <c>admin</c>, <c>member</c>), signed in through the login page for
    /// <paramref name="scopes"/> (null: all four API scopes).
    /// </summary>
    public async Task<TestCaller> CreateUserAsync(string workspace = "default", string role = "member", IReadOnlyList<string>? scopes = null)
    {
        var user = await SeedUserAsync(workspace, role);
        using var session = new BrowserSession(this);
        var tokens = await session.SignInAsync(user.WorkspaceName, user.Email, user.Password, "openid profile email " + string.Join(' ', scopes ?? Scopes.All));
        return new TestCaller(user.WorkspaceId, user.Id, CreateBearerClient(tokens.RequireAccessToken()));
    }

    /// <summary>
    /// A new confidential client of <paramref name="workspace"/> granted <paramref name="scopes"/>
    /// (null: all four API scopes), with a client-credentials token.
    /// </summary>
    public async Task<TestCaller> CreateMachineClientAsync(string workspace = "default", IReadOnlyList<string>? scopes = null)
    {
        var client = await SeedClientAsync(workspace, scopes ?? Scopes.All);
        using var http = CreateClient();
        var token = await OAuth.ClientCredentialsAsync(http, client.ClientId, client.Secret!);
        return new TestCaller(client.WorkspaceId, client.Id, CreateBearerClient(token.RequireAccessToken()));
    }

    /// <summary>An <see cref="HttpClient"/> on the test server that sends <c>Authorization: Bearer <paramref name="accessToken"/></c>.</summary>
    public HttpClient CreateBearerClient(string accessToken)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>The id of the workspace with this logical name, created on first use (except the bootstrap one).</summary>
    public Task<string> GetWorkspaceIdAsync(string workspace = "default") =>
        _workspaceIds.GetOrAdd(workspace, name => new Lazy<Task<string>>(() => EnsureWorkspaceAsync(name))).Value;

    /// <summary>A user stored directly in the database (password hashed as the API would); no token.</summary>
    public async Task<SeededUser> SeedUserAsync(string workspace = "default", string role = "member", string password = TestUserPassword)
    {
        var workspaceId = await GetWorkspaceIdAsync(workspace);
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();
        var hasher = scope.ServiceProvider.GetRequiredService<IUserPasswordHasher>();
        var email = $"user-{Guid.NewGuid():N}@tests.devana.local";
        var user = User.Register(workspaceId, email, $"Test {role}", Enum.Parse<UserRole>(role, ignoreCase: true), DateTimeOffset.UtcNow);
        user.SetPasswordHash(hasher.Hash(user, password));
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return new SeededUser(workspaceId, workspace, user.Id, email, password);
    }

    /// <summary>A client stored directly (its OAuth application included); <see cref="SeededClient.Secret"/> is null for public clients.</summary>
    public async Task<SeededClient> SeedClientAsync(string workspace, IReadOnlyList<string> scopes, ClientType type = ClientType.Confidential, IReadOnlyList<string>? redirectUris = null)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var workspaceId = await GetWorkspaceIdAsync(workspace);
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();
        var registry = scope.ServiceProvider.GetRequiredService<IOAuthApplicationRegistry>();
        var client = ApiClient.Register(workspaceId, $"Test client {Guid.NewGuid():N}", type, scopes, redirectUris ?? [], DateTimeOffset.UtcNow);
        db.ApiClients.Add(client);
        var secret = await registry.RegisterAsync(client, secret: null, CancellationToken.None);
        return new SeededClient(workspaceId, client.Id, client.ClientId, secret);
    }

    private async Task<string> EnsureWorkspaceAsync(string name)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();
        if (await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(workspace => workspace.Name == name) is { } existing)
        {
            return existing.Id;
        }

        if (name == DefaultWorkspace)
        {
            throw new InvalidOperationException("The bootstrap workspace is missing: did start-up run the bootstrap?");
        }

        var created = Workspace.Create(name, DateTimeOffset.UtcNow);
        db.Workspaces.Add(created);
        await db.SaveChangesAsync();
        return created.Id;
    }
}

/// <param name="WorkspaceName">The logical name typed on the login page.</param>
public sealed record SeededUser(string WorkspaceId, string WorkspaceName, string Id, string Email, string Password);

public sealed record SeededClient(string WorkspaceId, string Id, string ClientId, string? Secret);
