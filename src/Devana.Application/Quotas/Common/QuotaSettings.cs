using Devana.Domain.Quotas;

namespace Devana.Application.Quotas.Common;

/// <summary>
/// <c>Devana:Quotas:Default:*</c>: the limits of every workspace that has no stored quota of its own
/// (0 = no limit); <c>Devana:Quotas:ReservationExpirySeconds</c>: how long a running completion's
/// reservation holds without being renewed (<see cref="HoldExpiry"/>). Infrastructure reads and checks
/// them at start-up.
/// </summary>
public sealed record QuotaSettings(QuotaLimits Default)
{
    /// <summary>The default <see cref="HoldExpiry"/>: two minutes.</summary>
    public static readonly TimeSpan DefaultHoldExpiry = TimeSpan.FromSeconds(120);

    public static readonly QuotaSettings Unlimited = new(QuotaLimits.None);

    /// <summary>
    /// E: a reservation's hold expires E after it was taken or last renewed. Its instance renews it every
    /// E/3 while the completion runs; any instance settles holds that expired, every E/3. So a dead
    /// instance's reservations are settled at most 4/3·E after it died.
    /// </summary>
    public TimeSpan HoldExpiry { get; init; } = DefaultHoldExpiry;

    /// <summary>E/3: how often holds are renewed and expired ones looked for.</summary>
    public TimeSpan HoldRenewal => HoldExpiry / 3;
}
