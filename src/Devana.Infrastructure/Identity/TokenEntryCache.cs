using System.Collections.Concurrent;
using Devana.Infrastructure.Caching;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// Remembers, for a short while, that an access token's database entry (and its authorization's) was
/// found valid, so that a caller sending many requests with one token does not cost a token lookup per
/// request (docs/identity.md, "Revocation").
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>An entry lives <see cref="Lifetime"/> at most (<c>Devana:Identity:TokenEntryCacheSeconds</c>,
/// 0 to 60, default 30), and never past the token's own expiry.</item>
/// <item>Every write this process makes to OpenIddict's tokens, authorizations or applications (a
/// revocation, a redemption, a deleted client, a replayed refresh token) empties the cache when it is
/// committed (<see cref="TokenEntryCacheInvalidator"/>). So in one instance revocation still takes effect
/// on the next request; a revocation made by another instance sharing the database takes effect within
/// <see cref="Lifetime"/>.</item>
/// <item>A lookup that began before an invalidation cannot store what it read (a generation number is
/// taken before the database is read and checked when storing).</item>
/// </list>
/// Only verdicts of tokens whose signature, issuer, audience and lifetime already passed are stored,
/// keyed by the signed token id; every other check still runs on every request.
/// </remarks>
public sealed class TokenEntryCache(TimeSpan lifetime, TimeProvider clock)
{
    public const string LifetimeKey = "Devana:Identity:TokenEntryCacheSeconds";
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromSeconds(60);

    /// <summary>More than this many entries and the cache starts over: it stays small whatever the traffic.</summary>
    internal const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<string, TokenEntry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    public TimeSpan Lifetime => lifetime;

    public bool IsEnabled => lifetime > TimeSpan.Zero;

    /// <summary>Taken before reading the database; <see cref="Store"/> refuses what was read before an invalidation.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string tokenId, out TokenEntry entry)
    {
        if (_entries.TryGetValue(tokenId, out entry!) && entry.Generation == Generation && clock.GetUtcNow() < entry.CachedUntil)
        {
            return true;
        }

        entry = null!;
        return false;
    }

    public void Store(string tokenId, TokenEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!IsEnabled || entry.Generation != Generation)
        {
            return;
        }

        var until = CacheLifetime.Until(clock.GetUtcNow(), lifetime, entry.ExpirationDate);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[tokenId] = entry with { CachedUntil = until };
        if (entry.Generation != Generation)
        {
            // Invalidated while storing: make sure the entry does not survive it.
            _entries.TryRemove(tokenId, out _);
        }
    }

    /// <summary>Forgets every entry, and every lookup still in flight.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }
}
