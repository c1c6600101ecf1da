using Devana.Domain.Clients;

namespace Devana.Application.Clients.Common;

/// <summary>A client as <c>GET /v1/clients</c> shows it: never a secret.</summary>
public sealed record ClientDto
{
    public string Id { get; init; } = string.Empty;

    public string Object => "client";

    public string ClientId { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public ClientType Type { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public IReadOnlyList<string> RedirectUris { get; init; } = [];

    public long CreatedAt { get; init; }
}

/// <summary>
/// A client with its secret in clear: the answer of creation and of secret rotation, the only times
/// the secret is shown (null for a public client).
/// </summary>
public sealed record ClientWithSecretDto
{
    public string Id { get; init; } = string.Empty;

    public string Object => "client";

    public string ClientId { get; init; } = string.Empty;

    public string? ClientSecret { get; init; }

    public string Name { get; init; } = string.Empty;

    public ClientType Type { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public IReadOnlyList<string> RedirectUris { get; init; } = [];

    public long CreatedAt { get; init; }
}
