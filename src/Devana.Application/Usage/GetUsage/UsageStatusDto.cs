namespace Devana.Application.Usage.GetUsage;

/// <summary>
/// <c>{"object": "usage", "workspace_id", "principal_id", "levels": [...]}</c>: the workspace level, the
/// caller's own principal level, and each agent the caller may use that has a quota of its own.
/// </summary>
public sealed record UsageStatusDto(string WorkspaceId, string PrincipalId, IReadOnlyList<UsageLevelDto> Levels)
{
    public string Object => "usage";
}

/// <param name="Level"><c>workspace</c>, <c>principal</c> or <c>agent</c>.</param>
/// <param name="Id">The workspace, principal or agent id.</param>
/// <param name="Limits">The four counters, each with its limit.</param>
public sealed record UsageLevelDto(string Level, string Id, IReadOnlyList<UsageLimitDto> Limits);

/// <summary>One counter in its current window.</summary>
/// <param name="Name"><c>requests_per_minute</c>, <c>requests_per_day</c>, <c>tokens_per_day</c> or <c>tokens_per_month</c>.</param>
/// <param name="Limit">0: no limit (the usage is counted all the same).</param>
/// <param name="Used">Requests made, or tokens used plus those reserved by requests still running.</param>
/// <param name="Remaining">Null when there is no limit.</param>
/// <param name="ResetsAt">When the window ends, Unix seconds.</param>
public sealed record UsageLimitDto(string Name, long Limit, long Used, long? Remaining, long ResetsAt);
