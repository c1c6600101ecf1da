namespace Devana.Domain.Quotas;

/// <summary>One usage counter: a subject at a level, one limit kind, one window (by its start, in UTC).</summary>
public sealed record QuotaCounterKey(string WorkspaceId, QuotaLevel Level, string SubjectId, QuotaLimitKind Kind, DateTimeOffset WindowStart);

/// <summary>
/// What a request adds to one counter: <see cref="Amount"/> (1 request, or reserved tokens), under
/// <see cref="Limit"/> (0: none), until the window resets at <see cref="ResetsAt"/>. A settlement is a
/// charge too, whose amount is the difference between what was reserved and what was used.
/// </summary>
public sealed record QuotaCharge(QuotaCounterKey Key, DateTimeOffset ResetsAt, long Limit, long Amount)
{
    public QuotaLimitKind Kind => Key.Kind;

    public QuotaLevel Level => Key.Level;

    public QuotaMetric Metric => Key.Kind.Metric();

    public bool IsLimited => Limit > 0;

    /// <summary>
    /// The rule every counter store applies atomically: a charge fits when there is no limit, or when the
    /// counter plus the charge stays within it. Nothing is admitted "a little over".
    /// </summary>
    public bool FitsWithin(long used) => !IsLimited || used + Amount <= Limit;

    /// <summary>What is left under the limit once <paramref name="used"/> is counted; 0 when none is.</summary>
    public long RemainingAfter(long used) => Math.Max(0, Limit - used);
}
