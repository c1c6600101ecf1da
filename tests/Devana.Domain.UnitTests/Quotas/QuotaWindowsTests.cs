using Devana.Domain.Quotas;
using Microsoft.Extensions.Time.Testing;

namespace Devana.Domain.UnitTests.Quotas;

public sealed class QuotaWindowsTests
{
    private static FakeTimeProvider ClockAt(string utc) => new(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Minute_LastTickOfAMinute_EndsAtTheNextMinute()
    {
        var clock = ClockAt("2026-11-25T10:00:59.999Z");

        QuotaWindow.Minute.StartOf(clock.GetUtcNow()).Should().Be(DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        QuotaWindow.Minute.EndOf(clock.GetUtcNow()).Should().Be(DateTimeOffset.Parse("2026-11-25T10:01:00Z", System.Globalization.CultureInfo.InvariantCulture));

        clock.Advance(TimeSpan.FromMilliseconds(1));

        QuotaWindow.Minute.StartOf(clock.GetUtcNow()).Should().Be(DateTimeOffset.Parse("2026-11-25T10:01:00Z", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Day_AtUtcMidnight_StartsANewDay()
    {
        var clock = ClockAt("2026-11-25T23:59:59Z");
        var before = QuotaWindow.Day.StartOf(clock.GetUtcNow());

        clock.Advance(TimeSpan.FromSeconds(1));

        before.Should().Be(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        QuotaWindow.Day.StartOf(clock.GetUtcNow()).Should().Be(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
        QuotaWindow.Day.EndOf(clock.GetUtcNow()).Should().Be(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Day_OfALocalTime_IsTheUtcDay()
    {
        // 00:30 in Paris on the 26th is still the 25th in UTC.
        var paris = new DateTimeOffset(2026, 11, 26, 0, 30, 0, TimeSpan.FromHours(1));

        QuotaWindow.Day.StartOf(paris).Should().Be(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        QuotaWindow.Day.StartOf(paris).Offset.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Month_EndOfDecember_ResetsOnTheFirstOfJanuary()
    {
        var clock = ClockAt("2026-12-31T23:59:59Z");

        QuotaWindow.Month.StartOf(clock.GetUtcNow()).Should().Be(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        QuotaWindow.Month.EndOf(clock.GetUtcNow()).Should().Be(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));

        clock.Advance(TimeSpan.FromSeconds(1));

        QuotaWindow.Month.StartOf(clock.GetUtcNow()).Should().Be(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void LeapDay_Feb29_IsItsOwnDayAndTheMonthEndsOnMarch1()
    {
        var clock = ClockAt("2028-02-28T23:59:59Z");
        clock.Advance(TimeSpan.FromSeconds(1));

        QuotaWindow.Day.StartOf(clock.GetUtcNow()).Should().Be(new DateTimeOffset(2028, 2, 29, 0, 0, 0, TimeSpan.Zero));
        QuotaWindow.Day.EndOf(clock.GetUtcNow()).Should().Be(new DateTimeOffset(2028, 3, 1, 0, 0, 0, TimeSpan.Zero));
        QuotaWindow.Month.EndOf(clock.GetUtcNow()).Should().Be(new DateTimeOffset(2028, 3, 1, 0, 0, 0, TimeSpan.Zero));

        clock.Advance(TimeSpan.FromDays(1));

        QuotaWindow.Day.StartOf(clock.GetUtcNow()).Should().Be(new DateTimeOffset(2028, 3, 1, 0, 0, 0, TimeSpan.Zero));
        QuotaWindow.Month.StartOf(clock.GetUtcNow()).Should().Be(new DateTimeOffset(2028, 3, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Month_OfANonLeapFebruary_Has28Days()
    {
        var now = new DateTimeOffset(2027, 2, 10, 12, 0, 0, TimeSpan.Zero);

        (QuotaWindow.Month.EndOf(now) - QuotaWindow.Month.StartOf(now)).Should().Be(TimeSpan.FromDays(28));
    }

    [Theory]
    [InlineData(QuotaLimitKind.RequestsPerMinute, QuotaMetric.Requests, QuotaWindow.Minute, "requests_per_minute")]
    [InlineData(QuotaLimitKind.RequestsPerDay, QuotaMetric.Requests, QuotaWindow.Day, "requests_per_day")]
    [InlineData(QuotaLimitKind.TokensPerDay, QuotaMetric.Tokens, QuotaWindow.Day, "tokens_per_day")]
    [InlineData(QuotaLimitKind.TokensPerMonth, QuotaMetric.Tokens, QuotaWindow.Month, "tokens_per_month")]
    public void LimitKind_HasItsMetricWindowAndWireName(QuotaLimitKind kind, QuotaMetric metric, QuotaWindow window, string wireName)
    {
        kind.Metric().Should().Be(metric);
        kind.Window().Should().Be(window);
        kind.WireName().Should().Be(wireName);
    }
}
