using System.Collections.Concurrent;
using Devana.Application.Common.Interfaces;

namespace Devana.Infrastructure.Caching;

/// <summary>
/// <see cref="ISettingsCache"/> in memory. Entries live <see cref="Lifetime"/> at most
/// (<c>Devana:Cache:SettingsSeconds</c>, 0 to 60, default 5; 0 turns the cache off).
/// <see cref="SettingsCacheInvalidator"/> empties it whenever this process saves an agent or a quota; a load
/// that began before that cannot store what it read (a generation number is taken before loading and
/// checked when storing).
/// </summary>
public sealed class SettingsCache(TimeSpan lifetime, TimeProvider clock) : ISettingsCache
{
    public const string LifetimeKey = "Devana:Cache:SettingsSeconds";
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromSeconds(60);

    /// <summary>More than this many entries and the cache starts over: it stays small whatever the traffic.</summary>
    internal const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    public TimeSpan Lifetime => lifetime;

    public bool IsEnabled => lifetime > TimeSpan.Zero;

    public async Task<T> GetOrLoadAsync<T>(string key, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(load);
        if (!IsEnabled)
        {
            return await load(cancellationToken);
        }

        var generation = Interlocked.Read(ref _generation);
        if (_entries.TryGetValue(key, out var cached) && cached.Generation == generation && clock.GetUtcNow() < cached.Until && cached.Value is T hit)
        {
            return hit;
        }

        var value = await load(cancellationToken);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[key] = new Entry(value, generation, clock.GetUtcNow() + lifetime);
        if (Interlocked.Read(ref _generation) != generation)
        {
            // Invalidated while loading or storing: what was read may be older than the change.
            _entries.TryRemove(key, out _);
        }

        return value;
    }

    /// <summary>Forgets every entry, and every load still in flight.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private sealed record Entry(object Value, long Generation, DateTimeOffset Until);
}
