namespace Devana.Domain.Quotas;

/// <summary>What a limit counts.</summary>
public enum QuotaMetric
{
    Requests,
    Tokens,
}
