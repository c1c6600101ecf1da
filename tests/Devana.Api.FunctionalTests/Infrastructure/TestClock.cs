namespace Devana.Api.FunctionalTests.Infrastructure;

/// <summary>A clock the test moves by hand: the host (OpenIddict included) reads time from it, nothing sleeps.</summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
