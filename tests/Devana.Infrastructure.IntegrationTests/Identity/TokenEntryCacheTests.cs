using Devana.Infrastructure.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Devana.Infrastructure.IntegrationTests.Identity;

/// <summary>
/// The token cache on its own (docs/decisions/ADR-004-hand-written-caches.md): what the generation number
/// and the lifetime guarantee, which the end-to-end revocation tests (Api functional TokenEntryCacheTests)
/// rely on.
/// </summary>
public sealed class TokenEntryCacheTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    private TokenEntryCache Cache(double seconds = 30) => new(TimeSpan.FromSeconds(seconds), _clock);

    private static TokenEntry Entry(long generation, DateTimeOffset? expires = null) =>
        new(generation, null, expires, "auth_1", "tok_1", "access_token");

    [Fact]
    public void AnEntryStored_IsServedWithinTheLifetime_AndNotAfter()
    {
        var cache = Cache();
        cache.Store("tok_1", Entry(cache.Generation));

        _clock.Advance(TimeSpan.FromSeconds(29));
        cache.TryGet("tok_1", out var hit).Should().BeTrue();
        hit.AuthorizationId.Should().Be("auth_1");

        _clock.Advance(TimeSpan.FromSeconds(1));
        cache.TryGet("tok_1", out _).Should().BeFalse("30 s have passed");
    }

    [Fact]
    public void AnEntry_NeverOutlivesItsToken()
    {
        var cache = Cache();
        cache.Store("tok_1", Entry(cache.Generation, expires: _clock.GetUtcNow().AddSeconds(10)));

        _clock.Advance(TimeSpan.FromSeconds(10));

        cache.TryGet("tok_1", out _).Should().BeFalse("the token expired before the cache lifetime");
    }

    [Fact]
    public void ALookupThatBeganBeforeAnInvalidation_CannotStoreWhatItRead()
    {
        var cache = Cache();
        var taken = cache.Generation;

        cache.Invalidate();
        cache.Store("tok_1", Entry(taken));

        cache.TryGet("tok_1", out _).Should().BeFalse("the rows were read before the change that invalidated the cache");
    }

    [Fact]
    public void Invalidate_ForgetsEveryEntry()
    {
        var cache = Cache();
        cache.Store("tok_1", Entry(cache.Generation));

        cache.Invalidate();

        cache.TryGet("tok_1", out _).Should().BeFalse();
    }

    [Fact]
    public void ZeroSeconds_StoresNothing()
    {
        var cache = Cache(0);

        cache.Store("tok_1", Entry(cache.Generation));

        cache.IsEnabled.Should().BeFalse();
        cache.TryGet("tok_1", out _).Should().BeFalse();
    }
}
