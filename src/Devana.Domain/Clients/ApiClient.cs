using Devana.Domain.Clients.Rules;
using Devana.Domain.Common;

namespace Devana.Domain.Clients;

/// <summary>
/// An application allowed to call Devana: a machine (confidential, client credentials) or a front-end
/// (public, authorization code + PKCE). Its <see cref="Id"/> (<c>cli_…</c>) is the principal id of the
/// tokens it gets for itself; <see cref="ClientId"/> is the OAuth <c>client_id</c>. The OAuth side
/// (secret hash, permissions) is kept by the authorization server; this entity is what the API shows
/// and what ties the client to its workspace.
/// </summary>
public sealed class ApiClient : Entity
{
    public const int NameMaxLength = 200;
    public const int ClientIdMaxLength = 100;
    public const int MaxRedirectUris = 20;

    private readonly List<string> _scopes = [];
    private readonly List<string> _redirectUris = [];

    private ApiClient()
    {
    }

    public string Id { get; private set; } = null!;

    public string WorkspaceId { get; private set; } = null!;

    public string ClientId { get; private set; } = null!;

    public string Name { get; private set; } = null!;

    public ClientType Type { get; private set; }

    /// <summary>
    /// A first-party client is Devana's own front-end: users of every workspace may sign in through it,
    /// without a consent step, and it cannot be deleted through the API (configuration owns it).
    /// </summary>
    public bool IsFirstParty { get; private set; }

    /// <summary>The API scopes the client may ask for.</summary>
    public IReadOnlyCollection<string> Scopes => _scopes.AsReadOnly();

    public IReadOnlyCollection<string> RedirectUris => _redirectUris.AsReadOnly();

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// A new client. Its OAuth <c>client_id</c> is <paramref name="clientId"/> when given (configured
    /// clients such as <c>devana-dev</c>), else its <see cref="Id"/>.
    /// </summary>
    public static ApiClient Register(
        string workspaceId,
        string name,
        ClientType type,
        IEnumerable<string> scopes,
        IEnumerable<string> redirectUris,
        DateTimeOffset now,
        string? clientId = null,
        bool isFirstParty = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(redirectUris);
        var trimmedName = name.Trim();
        var uris = redirectUris.Distinct(StringComparer.Ordinal).ToList();
        CheckRule(new ClientNameMustBeValidRule(trimmedName));
        CheckRule(new ClientTypeMustBeDefinedRule(type));
        CheckRule(new RedirectUrisMustBeAbsoluteHttpUrisRule(uris));
        CheckRule(new PublicClientsMustHaveARedirectUriRule(type, uris));

        var id = PrefixedId.New(IdPrefixes.Client);
        var client = new ApiClient
        {
            Id = id,
            WorkspaceId = workspaceId,
            ClientId = string.IsNullOrWhiteSpace(clientId) ? id : clientId.Trim(),
            Name = trimmedName,
            Type = type,
            IsFirstParty = isFirstParty,
            CreatedAt = now,
        };
        client._scopes.AddRange(scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        client._redirectUris.AddRange(uris);
        return client;
    }

    /// <summary>Used when configuration owns the redirect URIs (the first-party front-end).</summary>
    public void ReplaceRedirectUris(IEnumerable<string> redirectUris)
    {
        ArgumentNullException.ThrowIfNull(redirectUris);
        var uris = redirectUris.Distinct(StringComparer.Ordinal).ToList();
        CheckRule(new RedirectUrisMustBeAbsoluteHttpUrisRule(uris));
        CheckRule(new PublicClientsMustHaveARedirectUriRule(Type, uris));
        _redirectUris.Clear();
        _redirectUris.AddRange(uris);
    }

    /// <summary>Throws unless the client has a secret to rotate.</summary>
    public void EnsureSecretCanBeRotated() => CheckRule(new OnlyConfidentialClientsHaveASecretRule(Type));

    /// <summary>Throws when the client may not be deleted through the API.</summary>
    public void EnsureCanBeDeleted() => CheckRule(new FirstPartyClientsCannotBeDeletedRule(IsFirstParty));

    /// <summary>Whether a user of <paramref name="workspaceId"/> may sign in through this client.</summary>
    public bool AcceptsUsersOf(string workspaceId) => IsFirstParty || string.Equals(WorkspaceId, workspaceId, StringComparison.Ordinal);
}
