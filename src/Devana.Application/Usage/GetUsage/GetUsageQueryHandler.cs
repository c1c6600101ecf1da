using Devana.Application.Common.Interfaces;
using Devana.Application.Quotas.Common;
using Devana.Domain.Agents;
using Devana.Domain.Quotas;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Usage.GetUsage;

internal sealed class GetUsageQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, QuotaGate gate, IQuotaCounterStore counters, TimeProvider clock)
    : IRequestHandler<GetUsageQuery, UsageStatusDto>
{
    public async Task<UsageStatusDto> Handle(GetUsageQuery request, CancellationToken cancellationToken)
    {
        var actor = caller.ToActor();
        var workspaceId = actor.WorkspaceId;
        var principalId = actor.PrincipalId;
        var stored = await db.Quotas.AsNoTracking()
            .Where(q => q.WorkspaceId == workspaceId
                && ((q.Level == QuotaLevel.Workspace && q.SubjectId == workspaceId)
                    || (q.Level == QuotaLevel.Principal && q.SubjectId == principalId)
                    || q.Level == QuotaLevel.Agent))
            .ToListAsync(cancellationToken);

        // Agent quotas count everyone's use of the agent: shown for the agents the caller may use.
        var agentQuotas = stored.Where(q => q.Level == QuotaLevel.Agent).ToDictionary(q => q.SubjectId, StringComparer.Ordinal);
        var agentIds = agentQuotas.Keys.ToList();
        var usableAgents = agentIds.Count == 0
            ? []
            : await db.Agents.AsNoTracking().Where(Agent.UsableBy(actor)).Where(a => agentIds.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken);

        var subjects = new List<QuotaSubjectLimits>
        {
            new(QuotaLevel.Workspace, workspaceId, gate.WorkspaceLimits(stored.FirstOrDefault(q => q.Level == QuotaLevel.Workspace))),
            new(QuotaLevel.Principal, principalId, stored.FirstOrDefault(q => q.Level == QuotaLevel.Principal)?.Limits ?? QuotaLimits.None),
        };
        subjects.AddRange(usableAgents.Order(StringComparer.Ordinal).Select(id => new QuotaSubjectLimits(QuotaLevel.Agent, id, agentQuotas[id].Limits)));

        var counted = new QuotaPolicy(workspaceId, subjects).Counters(clock.GetUtcNow());
        var used = await counters.GetUsedAsync(counted, cancellationToken);
        var levels = counted
            .Select((charge, index) => (Charge: charge, Used: used[index]))
            .GroupBy(item => (item.Charge.Level, item.Charge.Key.SubjectId))
            .Select(group => new UsageLevelDto(
                QuotaLevels.WireName(group.Key.Level),
                group.Key.SubjectId,
                group.Select(item => new UsageLimitDto(
                    item.Charge.Kind.WireName(),
                    item.Charge.Limit,
                    item.Used,
                    item.Charge.IsLimited ? item.Charge.RemainingAfter(item.Used) : null,
                    item.Charge.ResetsAt.ToUnixTimeSeconds())).ToList()))
            .ToList();
        return new UsageStatusDto(workspaceId, principalId, levels);
    }
}
