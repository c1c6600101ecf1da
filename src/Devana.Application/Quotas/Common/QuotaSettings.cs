using Devana.Domain.Quotas;

namespace Devana.Application.Quotas.Common;

/// <summary>
/// <c>Devana:Quotas:Default:*</c>: the limits of every workspace that has no stored quota of its own
/// (0 = no limit). Infrastructure reads and checks them at start-up.
/// </summary>
public sealed record QuotaSettings(QuotaLimits Default)
{
    public static readonly QuotaSettings Unlimited = new(QuotaLimits.None);
}
