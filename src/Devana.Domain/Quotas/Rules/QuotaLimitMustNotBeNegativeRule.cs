using Devana.Domain.Common;

namespace Devana.Domain.Quotas.Rules;

public sealed class QuotaLimitMustNotBeNegativeRule(QuotaLimitKind kind, long value) : IBusinessRule
{
    public bool IsBroken() => value < 0;

    public string Message => $"{kind.WireName()} must be an integer of at least 0 (0 means no limit).";

    public string? Param => kind.WireName();
}
