using Devana.Application.Common.Security;
using MediatR;

namespace Devana.Application.Usage.GetUsageReport;

/// <summary>
/// <c>GET /v1/usage/report?from=&amp;to=&amp;group_by=</c>: the workspace's usage ledger summed per
/// principal, agent or LLM over whole UTC days.
/// </summary>
/// <param name="From">First UTC day, <c>YYYY-MM-DD</c>, included; default the first day of the current month.</param>
/// <param name="To">Last UTC day, <c>YYYY-MM-DD</c>, included; default today.</param>
/// <param name="GroupBy"><c>principal</c> (default), <c>agent</c>, <c>llm</c> or <c>end_user</c> (the requests' <c>user</c>).</param>
public sealed record GetUsageReportQuery(string? From, string? To, string? GroupBy) : IRequest<UsageReportDto>, IRequireWorkspaceAdmin;
