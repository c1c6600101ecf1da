namespace Devana.Domain.Quotas;

/// <summary>
/// A UTC calendar window: the minute (hh:mm:00 to the next minute), the UTC day (midnight to midnight)
/// or the UTC calendar month (the 1st at midnight to the 1st of the next month). Windows are fixed, not
/// sliding: every counter of a window starts again from zero when the next one begins.
/// </summary>
public enum QuotaWindow
{
    Minute,
    Day,
    Month,
}

public static class QuotaWindows
{
    /// <summary>The start of the window that holds <paramref name="now"/>, in UTC.</summary>
    public static DateTimeOffset StartOf(this QuotaWindow window, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return window switch
        {
            QuotaWindow.Minute => new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero),
            QuotaWindow.Day => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            QuotaWindow.Month => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            _ => throw new ArgumentOutOfRangeException(nameof(window), window, "Unknown quota window."),
        };
    }

    /// <summary>When the window that holds <paramref name="now"/> ends (exclusive): when its counters reset.</summary>
    public static DateTimeOffset EndOf(this QuotaWindow window, DateTimeOffset now)
    {
        var start = window.StartOf(now);
        return window switch
        {
            QuotaWindow.Minute => start.AddMinutes(1),
            QuotaWindow.Day => start.AddDays(1),
            _ => start.AddMonths(1),
        };
    }
}
