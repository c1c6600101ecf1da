using System.Linq.Expressions;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Usage;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Usage.GetUsageReport;

/// <summary>Sums the ledger in the database (one grouped query), over [from 00:00 UTC, to + 1 day 00:00 UTC).</summary>
internal sealed class GetUsageReportQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, TimeProvider clock)
    : IRequestHandler<GetUsageReportQuery, UsageReportDto>
{
    public async Task<UsageReportDto> Handle(GetUsageReportQuery request, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var from = request.From is null ? new DateOnly(today.Year, today.Month, 1) : Parse(request.From);
        var to = request.To is null ? today : Parse(request.To);
        if (to < from)
        {
            throw new BadRequestException($"to ({ReportDates.Format(to)}) is before from ({ReportDates.Format(from)}).", request.To is null ? "from" : "to");
        }

        var groupBy = request.GroupBy ?? "principal";
        Expression<Func<UsageRecord, string?>> key = groupBy switch
        {
            "agent" => r => r.AgentId,
            "llm" => r => r.LlmId,
            "end_user" => r => r.EndUser,
            _ => r => r.PrincipalId,
        };

        var workspaceId = caller.WorkspaceId;
        var start = ReportDates.StartOf(from);
        var end = ReportDates.StartOf(to.AddDays(1));
        var groups = await db.UsageRecords.AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId && r.CreatedAt >= start && r.CreatedAt < end)
            .GroupBy(key)
            .Select(g => new { Group = g.Key, Requests = g.LongCount(), PromptTokens = g.Sum(r => r.PromptTokens), CompletionTokens = g.Sum(r => r.CompletionTokens) })
            .ToListAsync(cancellationToken);

        var rows = groups
            .Select(g => new UsageReportRowDto(g.Group, g.Requests, g.PromptTokens, g.CompletionTokens, g.PromptTokens + g.CompletionTokens))
            .OrderByDescending(r => r.TotalTokens)
            .ThenBy(r => r.Group, StringComparer.Ordinal)
            .ToList();
        var total = new UsageTotalsDto(rows.Sum(r => r.Requests), rows.Sum(r => r.PromptTokens), rows.Sum(r => r.CompletionTokens), rows.Sum(r => r.TotalTokens));
        return new UsageReportDto(ReportDates.Format(from), ReportDates.Format(to), groupBy, rows, total);
    }

    private static DateOnly Parse(string value) => ReportDates.TryParse(value, out var date)
        ? date
        : throw new BadRequestException($"'{value}' is not a date: use YYYY-MM-DD.");
}
