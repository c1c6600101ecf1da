using Devana.Infrastructure.Caching;
using Devana.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Devana.Infrastructure.IntegrationTests.Caching;

public sealed class SettingsCacheTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private int _loads;

    private SettingsCache Cache(double seconds = 5) => new(TimeSpan.FromSeconds(seconds), _clock);

    private Task<string> Load(CancellationToken cancellationToken) => Task.FromResult($"value {++_loads}");

    [Fact]
    public async Task WithinTheLifetime_LoadsOnce()
    {
        var cache = Cache();

        var first = await cache.GetOrLoadAsync("k", Load, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(4.9));
        var second = await cache.GetOrLoadAsync("k", Load, CancellationToken.None);

        second.Should().BeSameAs(first);
        _loads.Should().Be(1);
    }

    [Fact]
    public async Task AfterTheLifetime_LoadsAgain()
    {
        var cache = Cache();
        await cache.GetOrLoadAsync("k", Load, CancellationToken.None);

        _clock.Advance(TimeSpan.FromSeconds(5));
        var value = await cache.GetOrLoadAsync("k", Load, CancellationToken.None);

        value.Should().Be("value 2");
    }

    [Fact]
    public async Task Invalidate_ForgetsEveryEntry()
    {
        var cache = Cache();
        await cache.GetOrLoadAsync("a", Load, CancellationToken.None);
        await cache.GetOrLoadAsync("b", Load, CancellationToken.None);

        cache.Invalidate();

        (await cache.GetOrLoadAsync("a", Load, CancellationToken.None)).Should().Be("value 3");
        (await cache.GetOrLoadAsync("b", Load, CancellationToken.None)).Should().Be("value 4");
    }

    [Fact]
    public async Task ALoadThatRanAcrossAnInvalidation_IsNotKept()
    {
        var cache = Cache();
        var release = new TaskCompletionSource();
        var slow = cache.GetOrLoadAsync("k", async _ =>
        {
            await release.Task;
            return "read before the change";
        }, CancellationToken.None);

        cache.Invalidate();
        release.SetResult();

        (await slow).Should().Be("read before the change", "the caller that started before the change gets what it read");
        (await cache.GetOrLoadAsync("k", Load, CancellationToken.None)).Should().Be("value 1", "but it was not kept");
    }

    [Fact]
    public async Task ALoadThatThrows_CachesNothing()
    {
        var cache = Cache();

        var failing = () => cache.GetOrLoadAsync<string>("k", _ => throw new InvalidOperationException("not found"), CancellationToken.None);

        await failing.Should().ThrowAsync<InvalidOperationException>();
        (await cache.GetOrLoadAsync("k", Load, CancellationToken.None)).Should().Be("value 1");
    }

    [Fact]
    public async Task ZeroSeconds_TurnsTheCacheOff()
    {
        var cache = Cache(0);

        await cache.GetOrLoadAsync("k", Load, CancellationToken.None);
        await cache.GetOrLoadAsync("k", Load, CancellationToken.None);

        _loads.Should().Be(2);
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData("", 5)]
    [InlineData("0", 0)]
    [InlineData("2.5", 2.5)]
    [InlineData("60", 60)]
    public void Lifetime_FromConfiguration(string? value, double expectedSeconds)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [SettingsCache.LifetimeKey] = value }).Build();

        configuration.GetValidated<CacheOptions, CacheOptionsValidator>(CacheOptions.Section).SettingsLifetime.Should().Be(TimeSpan.FromSeconds(expectedSeconds));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("61")]
    [InlineData("soon")]
    public void Lifetime_OutOfRange_StopsStartUp_NamingTheKey(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [SettingsCache.LifetimeKey] = value }).Build();

        var read = () => configuration.GetValidated<CacheOptions, CacheOptionsValidator>(CacheOptions.Section);

        read.Should().Throw<Exception>().WithMessage("*Devana:Cache:SettingsSeconds*");
    }
}
