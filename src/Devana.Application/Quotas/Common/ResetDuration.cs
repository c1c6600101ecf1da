using System.Globalization;

namespace Devana.Application.Quotas.Common;

/// <summary>
/// Formats <c>x-ratelimit-reset-*</c> as OpenAI does: a duration with hours, minutes and seconds, the
/// largest unit first and leading zero units left out (<c>12s</c>, <c>1m0s</c>, <c>3h2m1s</c>,
/// <c>412h0m0s</c> for a monthly window). Rounded up to the second, so that waiting that long is enough.
/// </summary>
public static class ResetDuration
{
    public static string Format(TimeSpan duration)
    {
        var total = duration <= TimeSpan.Zero ? 0 : (long)Math.Ceiling(duration.TotalSeconds);
        var hours = total / 3600;
        var minutes = total % 3600 / 60;
        var seconds = total % 60;
        return hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours}h{minutes}m{seconds}s")
            : minutes > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{minutes}m{seconds}s")
                : string.Create(CultureInfo.InvariantCulture, $"{seconds}s");
    }
}
