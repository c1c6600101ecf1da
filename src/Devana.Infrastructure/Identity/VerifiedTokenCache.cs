using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Devana.Infrastructure.Caching;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// Remembers, keyed by an access token's exact text and the issuer it was checked against, the principal that
/// checking the token's signature, type and issuer produced, so that a caller sending many requests with one
/// token pays for that check (reading the JWT, verifying its RSA signature) once per
/// <see cref="TokenEntryCache.Lifetime"/> instead of once per request (docs/identity.md, "Revocation").
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Only a token that passed is stored, and only under its whole text: a token that differs in one
/// character (another payload, another signature) is checked in full. Without a configured issuer, the issuer
/// is the host name the request came to (docs/identity.md), so the same token sent to another host name is
/// checked in full too.</item>
/// <item>An entry lives the cache lifetime at most (<c>Devana:Identity:TokenEntryCacheSeconds</c>; 0 turns this
/// cache off too), and never past the token's own expiry.</item>
/// <item>Each request gets a copy of the principal: the handlers after the check add claims to it.</item>
/// <item>Nothing else is skipped: the token's expiry, its audience and its database entry (revocation) are still
/// checked on every request.</item>
/// </list>
/// </remarks>
public sealed class VerifiedTokenCache(TimeSpan lifetime, TimeProvider clock)
{
    /// <summary>More than this many tokens and the cache starts over: it stays small whatever the traffic.</summary>
    internal const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<(string Issuer, string Token), Entry> _entries = new();

    public bool IsEnabled => lifetime > TimeSpan.Zero;

    public bool TryGet(string issuer, string token, [NotNullWhen(true)] out ClaimsPrincipal? principal)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(token);
        if (_entries.TryGetValue((issuer, token), out var entry) && clock.GetUtcNow() < entry.Until)
        {
            principal = Copy(entry.Principal);
            return true;
        }

        principal = null;
        return false;
    }

    public void Store(string issuer, string token, ClaimsPrincipal principal, DateTimeOffset expires)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(principal);
        if (!IsEnabled)
        {
            return;
        }

        var until = CacheLifetime.Until(clock.GetUtcNow(), lifetime, expires);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[(issuer, token)] = new Entry(Copy(principal), until);
    }

    /// <summary>
    /// A copy down to the claims: <see cref="ClaimsPrincipal.Clone"/> shares the identities, to which OpenIddict's
    /// handlers add claims.
    /// </summary>
    private static ClaimsPrincipal Copy(ClaimsPrincipal principal) => new(principal.Identities.Select(identity => identity.Clone()));

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset Until);
}
