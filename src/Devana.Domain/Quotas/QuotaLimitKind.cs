namespace Devana.Domain.Quotas;

/// <summary>The four limits of docs/api.md#usage-and-quotas, each a metric counted over a window.</summary>
public enum QuotaLimitKind
{
    RequestsPerMinute,
    RequestsPerDay,
    TokensPerDay,
    TokensPerMonth,
}

public static class QuotaLimitKinds
{
    /// <summary>Every kind, in the order checks and messages use.</summary>
    public static readonly IReadOnlyList<QuotaLimitKind> All =
        [QuotaLimitKind.RequestsPerMinute, QuotaLimitKind.RequestsPerDay, QuotaLimitKind.TokensPerDay, QuotaLimitKind.TokensPerMonth];

    public static QuotaMetric Metric(this QuotaLimitKind kind) =>
        kind is QuotaLimitKind.RequestsPerMinute or QuotaLimitKind.RequestsPerDay ? QuotaMetric.Requests : QuotaMetric.Tokens;

    public static QuotaWindow Window(this QuotaLimitKind kind) => kind switch
    {
        QuotaLimitKind.RequestsPerMinute => QuotaWindow.Minute,
        QuotaLimitKind.RequestsPerDay or QuotaLimitKind.TokensPerDay => QuotaWindow.Day,
        QuotaLimitKind.TokensPerMonth => QuotaWindow.Month,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown quota limit."),
    };

    /// <summary>The field name on the wire: <c>requests_per_minute</c>, …</summary>
    public static string WireName(this QuotaLimitKind kind) => kind switch
    {
        QuotaLimitKind.RequestsPerMinute => "requests_per_minute",
        QuotaLimitKind.RequestsPerDay => "requests_per_day",
        QuotaLimitKind.TokensPerDay => "tokens_per_day",
        QuotaLimitKind.TokensPerMonth => "tokens_per_month",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown quota limit."),
    };

    /// <summary>For messages: "requests per minute", "tokens per month".</summary>
    public static string Describe(this QuotaLimitKind kind) => kind.WireName().Replace('_', ' ');
}
