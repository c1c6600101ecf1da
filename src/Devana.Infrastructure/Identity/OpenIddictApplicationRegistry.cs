using System.Security.Cryptography;
using Devana.Application.Clients.Common;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Clients;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// Keeps each <see cref="ApiClient"/>'s OpenIddict application in line with it. OpenIddict's stores
/// share the scoped <c>DevanaDbContext</c>, so their save also writes the <see cref="ApiClient"/>
/// change pending in the unit of work: both land in one <c>SaveChanges</c>.
/// </summary>
internal sealed class OpenIddictApplicationRegistry(IOpenIddictApplicationManager applications, IApplicationDbContext db) : IOAuthApplicationRegistry
{
    public async Task<string?> RegisterAsync(ApiClient client, string? secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var descriptor = new OpenIddictApplicationDescriptor();
        Describe(client, descriptor);
        if (client.Type == ClientType.Confidential)
        {
            // OpenIddict stores only a hash of it.
            descriptor.ClientSecret = secret ?? NewSecret();
        }

        await applications.CreateAsync(descriptor, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return descriptor.ClientSecret;
    }

    public async Task<string> RotateSecretAsync(ApiClient client, CancellationToken cancellationToken)
    {
        var application = await FindAsync(client, cancellationToken);
        var secret = NewSecret();
        await applications.UpdateAsync(application, secret, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    public async Task DeleteAsync(ApiClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        // OpenIddict's store deletes the application's authorizations and tokens with it, which is
        // what makes the client's tokens fail token-entry validation at once.
        if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is { } application)
        {
            await applications.DeleteAsync(application, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task UpdateAsync(ApiClient client, CancellationToken cancellationToken)
    {
        var application = await FindAsync(client, cancellationToken);
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, cancellationToken);
        Describe(client, descriptor);
        await applications.UpdateAsync(application, descriptor, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<object> FindAsync(ApiClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await applications.FindByClientIdAsync(client.ClientId, cancellationToken)
            ?? throw new InvalidOperationException($"Client {client.Id} has no OAuth application '{client.ClientId}'.");
    }

    /// <summary>
    /// Permissions follow the client: confidential clients use client credentials and may introspect;
    /// clients with redirect URIs use the authorization code flow (PKCE required) with refresh tokens,
    /// and may end the session towards the origin of any of their redirect URIs. Every client revokes
    /// its own tokens and may ask for the API scopes it was granted.
    /// </summary>
    private static void Describe(ApiClient client, OpenIddictApplicationDescriptor descriptor)
    {
        descriptor.ClientId = client.ClientId;
        descriptor.DisplayName = client.Name;
        descriptor.ClientType = client.Type == ClientType.Confidential ? ClientTypes.Confidential : ClientTypes.Public;
        // Every client is registered by an admin of its workspace (or is Devana's own front-end), so
        // users are never asked to consent; users of other workspaces are refused by the authorization endpoint.
        descriptor.ConsentType = ConsentTypes.Implicit;

        descriptor.Permissions.Clear();
        descriptor.Requirements.Clear();
        descriptor.RedirectUris.Clear();
        descriptor.PostLogoutRedirectUris.Clear();

        descriptor.Permissions.Add(Permissions.Endpoints.Token);
        descriptor.Permissions.Add(Permissions.Endpoints.Revocation);
        if (client.Type == ClientType.Confidential)
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Introspection);
            descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
        }

        if (client.RedirectUris.Count > 0)
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Authorization);
            descriptor.Permissions.Add(Permissions.Endpoints.EndSession);
            descriptor.Permissions.Add(Permissions.GrantTypes.AuthorizationCode);
            descriptor.Permissions.Add(Permissions.GrantTypes.RefreshToken);
            descriptor.Permissions.Add(Permissions.ResponseTypes.Code);
            descriptor.Permissions.Add(Permissions.Scopes.Email);
            descriptor.Permissions.Add(Permissions.Scopes.Profile);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            foreach (var uri in client.RedirectUris)
            {
                var redirect = new Uri(uri, UriKind.Absolute);
                descriptor.RedirectUris.Add(redirect);
                descriptor.PostLogoutRedirectUris.Add(new Uri(redirect.GetLeftPart(UriPartial.Authority) + "/", UriKind.Absolute));
            }
        }

        foreach (var scope in client.Scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }
    }

    private static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
