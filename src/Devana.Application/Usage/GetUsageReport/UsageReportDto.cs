namespace Devana.Application.Usage.GetUsageReport;

/// <summary>
/// <c>{"object": "usage_report", "from", "to", "group_by", "data": [...], "total": {...}}</c>: one row per
/// group, most tokens first, and their sum.
/// </summary>
public sealed record UsageReportDto(string From, string To, string GroupBy, IReadOnlyList<UsageReportRowDto> Data, UsageTotalsDto Total)
{
    public string Object => "usage_report";
}

/// <summary>
/// One group: its id (principal, agent, LLM or end user; null for the requests that named no end user) and
/// the sums of its completion requests, whatever their outcome.
/// </summary>
public sealed record UsageReportRowDto(string? Group, long Requests, long PromptTokens, long CompletionTokens, long TotalTokens);

public sealed record UsageTotalsDto(long Requests, long PromptTokens, long CompletionTokens, long TotalTokens);
