namespace Devana.Application.Common.Interfaces;

/// <summary>
/// A short read-through cache for what every completion reads but admins rarely change: the agent and the
/// stored quotas. An entry lives a few seconds at most (<c>Devana:Cache:SettingsSeconds</c>); a change
/// this process saves to an agent or a quota empties it at once, so one instance sees its own changes on
/// the next request and other instances sharing the database within that lifetime (docs/performance.md).
/// </summary>
public interface ISettingsCache
{
    /// <summary>
    /// The value cached under <paramref name="key"/>, or what <paramref name="load"/> reads (then cached).
    /// A load that throws caches nothing. Cached values are shared between requests: treat them as read-only.
    /// </summary>
    Task<T> GetOrLoadAsync<T>(string key, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : class;
}
