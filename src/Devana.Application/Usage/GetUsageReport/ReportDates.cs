using System.Globalization;

namespace Devana.Application.Usage.GetUsageReport;

/// <summary>Report bounds are ISO 8601 calendar dates (<c>2026-11-25</c>), read as whole UTC days.</summary>
internal static class ReportDates
{
    public static bool TryParse(string? value, out DateOnly date) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateTimeOffset StartOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
