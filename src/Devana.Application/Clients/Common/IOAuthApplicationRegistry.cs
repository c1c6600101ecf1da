using Devana.Domain.Clients;

namespace Devana.Application.Clients.Common;

/// <summary>
/// The authorization server's side of an <see cref="ApiClient"/>: its OAuth application (hashed
/// secret, redirect URIs, permissions derived from the client's type and scopes). Implemented by
/// Infrastructure over OpenIddict. Each method saves the unit of work, so that the
/// <see cref="ApiClient"/> change pending in it and the OAuth application change land together.
/// </summary>
public interface IOAuthApplicationRegistry
{
    /// <summary>
    /// Registers the OAuth application of a client just added to the unit of work, with
    /// <paramref name="secret"/> (configured clients) or a generated secret when it is null.
    /// </summary>
    /// <returns>The client secret in clear, shown once (null for a public client).</returns>
    Task<string?> RegisterAsync(ApiClient client, string? secret, CancellationToken cancellationToken);

    /// <summary>Replaces the client's secret; the old one stops working at once.</summary>
    /// <returns>The new secret in clear, shown once.</returns>
    Task<string> RotateSecretAsync(ApiClient client, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the client's OAuth application with every authorization and token issued to it, so that
    /// its tokens stop working at once.
    /// </summary>
    Task DeleteAsync(ApiClient client, CancellationToken cancellationToken);

    /// <summary>Brings the OAuth application's redirect URIs and permissions in line with the client.</summary>
    Task UpdateAsync(ApiClient client, CancellationToken cancellationToken);
}
