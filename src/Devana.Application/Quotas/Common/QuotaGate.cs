using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Common;
using Devana.Domain.Quotas;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Devana.Application.Quotas.Common;

/// <summary>
/// Enforces quotas for completions: loads the limits that apply (the workspace's stored quota or the
/// configured defaults, the principal's, the agent's), reserves the request on every counter at once
/// before the LLM is called, and settles the tokens once it has answered.
/// </summary>
internal sealed partial class QuotaGate(IApplicationDbContext db, IQuotaCounterStore counters, QuotaSettings settings, TimeProvider clock, ILogger<QuotaGate> logger)
{
    /// <summary>Counts the request and reserves <paramref name="tokens"/> at every level, or refuses it.</summary>
    /// <exception cref="QuotaExceededException">A limit would be exceeded; nothing was counted.</exception>
    /// <exception cref="ServiceUnavailableException">The database failed; nothing was counted.</exception>
    public async Task<QuotaReservation> ReserveAsync(Actor caller, string agentId, long tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var policy = await LoadPolicyAsync(caller.WorkspaceId, caller.PrincipalId, agentId, cancellationToken);
        var now = clock.GetUtcNow();
        var charges = policy.Reserve(tokens, now);
        var result = await counters.TryReserveAsync(charges, cancellationToken);
        if (result.Breach is not null)
        {
            throw new QuotaExceededException(result.Breach);
        }

        var rateLimits = new RateLimitSnapshot(
            QuotaPolicy.Tightest(charges, result.UsedAfter, QuotaMetric.Requests, now),
            QuotaPolicy.Tightest(charges, result.UsedAfter, QuotaMetric.Tokens, now));
        return new QuotaReservation(charges, rateLimits);
    }

    /// <summary>
    /// Corrects the reserved tokens to <paramref name="actualTokens"/>, once. It never throws: the answer
    /// is already produced, and a settlement that cannot be written leaves the reservation counted,
    /// which errs on the side of the limit.
    /// </summary>
    public async Task SettleAsync(QuotaReservation reservation, long actualTokens)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (!reservation.TryMarkSettled())
        {
            return;
        }

        var adjustments = QuotaPolicy.Settle(reservation.Charges, Math.Max(0, actualTokens));
        if (adjustments.Count == 0)
        {
            return;
        }

        try
        {
            await counters.AdjustAsync(adjustments, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogSettlementFailed(exception, adjustments[0].Key.WorkspaceId, adjustments[0].Amount);
        }
    }

    /// <summary>The workspace's limits: its stored quota, else the configured defaults.</summary>
    public QuotaLimits WorkspaceLimits(Quota? stored) => stored?.Limits ?? settings.Default;

    private async Task<QuotaPolicy> LoadPolicyAsync(string workspaceId, string principalId, string agentId, CancellationToken cancellationToken)
    {
        List<Quota> stored;
        try
        {
            stored = await db.Quotas.AsNoTracking()
                .Where(q => q.WorkspaceId == workspaceId
                    && ((q.Level == QuotaLevel.Workspace && q.SubjectId == workspaceId)
                        || (q.Level == QuotaLevel.Principal && q.SubjectId == principalId)
                        || (q.Level == QuotaLevel.Agent && q.SubjectId == agentId)))
                .ToListAsync(cancellationToken);
        }
        catch (Exception exception) when (DatabaseFailure.Is(exception))
        {
            throw new ServiceUnavailableException("The quotas cannot be read from the database; the request was not run. Try again shortly.", exception);
        }

        return QuotaPolicy.ForCompletion(
            workspaceId,
            WorkspaceLimits(stored.FirstOrDefault(q => q.Level == QuotaLevel.Workspace)),
            principalId,
            stored.FirstOrDefault(q => q.Level == QuotaLevel.Principal)?.Limits,
            agentId,
            stored.FirstOrDefault(q => q.Level == QuotaLevel.Agent)?.Limits);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not settle quota counters of workspace {WorkspaceId} by {Amount} tokens; the reservation stays counted")]
    private partial void LogSettlementFailed(Exception exception, string workspaceId, long amount);
}
