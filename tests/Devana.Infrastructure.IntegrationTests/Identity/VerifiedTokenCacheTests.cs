using System.Security.Claims;
using Devana.Infrastructure.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Devana.Infrastructure.IntegrationTests.Identity;

/// <summary>
/// The cache of verified access tokens on its own: what it serves and for how long. The end-to-end checks (a
/// forged token is still refused) are in the Api functional VerifiedTokenCacheTests.
/// </summary>
public sealed class VerifiedTokenCacheTests
{
    private const string Issuer = "https://devana.example/";
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGlfMSJ9.c2lnbmF0dXJl";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));

    private VerifiedTokenCache Cache(double seconds = 30) => new(TimeSpan.FromSeconds(seconds), _clock);

    private DateTimeOffset InAnHour => _clock.GetUtcNow().AddHours(1);

    private static ClaimsPrincipal Principal(string subject = "cli_1") => new(new ClaimsIdentity([new Claim("sub", subject)], "Bearer"));

    [Fact]
    public void APrincipalStored_IsServedWithinTheLifetime_AndNotAfter()
    {
        var cache = Cache();
        cache.Store(Issuer, Token, Principal(), InAnHour);

        _clock.Advance(TimeSpan.FromSeconds(29));
        cache.TryGet(Issuer, Token, out var hit).Should().BeTrue();
        hit!.FindFirst("sub")!.Value.Should().Be("cli_1");

        _clock.Advance(TimeSpan.FromSeconds(1));
        cache.TryGet(Issuer, Token, out _).Should().BeFalse("30 s have passed");
    }

    [Fact]
    public void AnEntry_NeverOutlivesItsToken()
    {
        var cache = Cache();
        cache.Store(Issuer, Token, Principal(), _clock.GetUtcNow().AddSeconds(10));

        _clock.Advance(TimeSpan.FromSeconds(10));

        cache.TryGet(Issuer, Token, out _).Should().BeFalse("the token expired before the cache lifetime");
    }

    [Fact]
    public void ATokenThatHasExpired_IsNotStored()
    {
        var cache = Cache();

        cache.Store(Issuer, Token, Principal(), _clock.GetUtcNow().AddSeconds(-1));

        cache.TryGet(Issuer, Token, out _).Should().BeFalse();
    }

    [Fact]
    public void OnlyTheSameText_CheckedAgainstTheSameIssuer_IsServed()
    {
        var cache = Cache();
        cache.Store(Issuer, Token, Principal(), InAnHour);

        cache.TryGet(Issuer, Token[..^1] + "x", out _).Should().BeFalse("another signature is another token");
        cache.TryGet(Issuer, Token.ToUpperInvariant(), out _).Should().BeFalse("tokens are compared ordinally");
        cache.TryGet(Issuer, Token + " ", out _).Should().BeFalse();
        cache.TryGet("https://elsewhere.example/", Token, out _).Should().BeFalse("it was checked against another issuer");
    }

    [Fact]
    public void EachUse_GetsACopy_ThatTheNextDoesNotSee()
    {
        var cache = Cache();
        var stored = Principal();
        cache.Store(Issuer, Token, stored, InAnHour);
        stored.Identities.Single().AddClaim(new Claim("added", "after storing"));

        cache.TryGet(Issuer, Token, out var first).Should().BeTrue();
        first!.Identities.Single().AddClaim(new Claim("oi_exp_dt", "added by a later handler"));
        cache.TryGet(Issuer, Token, out var second).Should().BeTrue();

        second!.Claims.Select(c => c.Type).Should().Equal("sub");
        first.Should().NotBeSameAs(second);
    }

    [Fact]
    public void ZeroSeconds_StoresNothing()
    {
        var cache = Cache(0);

        cache.Store(Issuer, Token, Principal(), InAnHour);

        cache.IsEnabled.Should().BeFalse();
        cache.TryGet(Issuer, Token, out _).Should().BeFalse();
    }

    [Fact]
    public void PastItsSize_TheCacheStartsOver()
    {
        var cache = Cache();
        for (var i = 0; i < VerifiedTokenCache.MaxEntries; i++)
        {
            cache.Store(Issuer, $"token-{i}", Principal(), InAnHour);
        }

        cache.Store(Issuer, Token, Principal(), InAnHour);

        cache.TryGet(Issuer, "token-0", out _).Should().BeFalse("the cache was full and started over");
        cache.TryGet(Issuer, Token, out _).Should().BeTrue();
    }
}
