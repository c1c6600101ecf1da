using Devana.Application.Common.Interfaces;

namespace Devana.Application.UnitTests.Common;

/// <summary>A settings cache that caches nothing: every call loads.</summary>
internal sealed class PassThroughSettingsCache : ISettingsCache
{
    public Task<T> GetOrLoadAsync<T>(string key, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : class => load(cancellationToken);
}
