using static OpenIddict.Validation.OpenIddictValidationHandlers.Protection;

namespace Devana.Infrastructure.Identity;

/// <summary>What <see cref="RestoreTokenEntryProperties"/> restores from a valid token entry.</summary>
public sealed record TokenEntry(
    long Generation,
    DateTimeOffset? CreationDate,
    DateTimeOffset? ExpirationDate,
    string? AuthorizationId,
    string? TokenId,
    string? TokenType)
{
    public DateTimeOffset CachedUntil { get; init; }
}
