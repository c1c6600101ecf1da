using Devana.Domain.Quotas;

namespace Devana.Application.Quotas.Common;

/// <summary>
/// A stored quota: <c>{"object": "quota", "level", "id", "requests_per_minute", "requests_per_day",
/// "tokens_per_day", "tokens_per_month", "created_at", "updated_at"}</c>; 0 is no limit.
/// </summary>
public sealed record QuotaDto(
    string Level,
    string Id,
    long RequestsPerMinute,
    long RequestsPerDay,
    long TokensPerDay,
    long TokensPerMonth,
    long CreatedAt,
    long UpdatedAt)
{
    public string Object => "quota";

    public static QuotaDto From(Quota quota)
    {
        ArgumentNullException.ThrowIfNull(quota);
        return new QuotaDto(
            QuotaLevels.WireName(quota.Level),
            quota.SubjectId,
            quota.RequestsPerMinute,
            quota.RequestsPerDay,
            quota.TokensPerDay,
            quota.TokensPerMonth,
            quota.CreatedAt.ToUnixTimeSeconds(),
            quota.UpdatedAt.ToUnixTimeSeconds());
    }
}

/// <summary>The four limits alone (the configured defaults).</summary>
public sealed record QuotaLimitsDto(long RequestsPerMinute, long RequestsPerDay, long TokensPerDay, long TokensPerMonth)
{
    public static QuotaLimitsDto From(QuotaLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new QuotaLimitsDto(limits.RequestsPerMinute, limits.RequestsPerDay, limits.TokensPerDay, limits.TokensPerMonth);
    }
}

/// <summary>
/// <c>GET /v1/quotas</c>: the stored quotas of the workspace, newest first, paged like every list, and
/// the configured <c>defaults</c> that apply to the workspace while it has no stored workspace quota.
/// </summary>
public sealed record QuotaListDto(IReadOnlyList<QuotaDto> Data, bool HasMore, string? NextCursor, QuotaLimitsDto Defaults)
{
    public string Object => "list";
}

public static class QuotaLevels
{
    public static string WireName(QuotaLevel level) => level switch
    {
        QuotaLevel.Workspace => "workspace",
        QuotaLevel.Principal => "principal",
        QuotaLevel.Agent => "agent",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown quota level."),
    };
}
