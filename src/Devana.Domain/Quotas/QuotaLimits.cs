using Devana.Domain.Quotas.Rules;

namespace Devana.Domain.Quotas;

/// <summary>
/// The four limits of one quota. Zero means no limit (the usage is still counted, so that a limit set
/// later in a window applies to what the window has already used).
/// </summary>
public sealed record QuotaLimits
{
    public static readonly QuotaLimits None = new(0, 0, 0, 0);

    private QuotaLimits(long requestsPerMinute, long requestsPerDay, long tokensPerDay, long tokensPerMonth)
    {
        RequestsPerMinute = requestsPerMinute;
        RequestsPerDay = requestsPerDay;
        TokensPerDay = tokensPerDay;
        TokensPerMonth = tokensPerMonth;
    }

    public long RequestsPerMinute { get; }

    public long RequestsPerDay { get; }

    public long TokensPerDay { get; }

    public long TokensPerMonth { get; }

    public bool IsUnlimited => RequestsPerMinute == 0 && RequestsPerDay == 0 && TokensPerDay == 0 && TokensPerMonth == 0;

    /// <exception cref="Common.BusinessRuleValidationException">A limit is negative.</exception>
    public static QuotaLimits Create(long requestsPerMinute, long requestsPerDay, long tokensPerDay, long tokensPerMonth)
    {
        CheckNotNegative(QuotaLimitKind.RequestsPerMinute, requestsPerMinute);
        CheckNotNegative(QuotaLimitKind.RequestsPerDay, requestsPerDay);
        CheckNotNegative(QuotaLimitKind.TokensPerDay, tokensPerDay);
        CheckNotNegative(QuotaLimitKind.TokensPerMonth, tokensPerMonth);
        return new QuotaLimits(requestsPerMinute, requestsPerDay, tokensPerDay, tokensPerMonth);
    }

    /// <summary>The limit of one kind; 0 is none.</summary>
    public long Of(QuotaLimitKind kind) => kind switch
    {
        QuotaLimitKind.RequestsPerMinute => RequestsPerMinute,
        QuotaLimitKind.RequestsPerDay => RequestsPerDay,
        QuotaLimitKind.TokensPerDay => TokensPerDay,
        QuotaLimitKind.TokensPerMonth => TokensPerMonth,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown quota limit."),
    };

    private static void CheckNotNegative(QuotaLimitKind kind, long value)
    {
        var rule = new QuotaLimitMustNotBeNegativeRule(kind, value);
        if (rule.IsBroken())
        {
            throw new Common.BusinessRuleValidationException(rule);
        }
    }
}
