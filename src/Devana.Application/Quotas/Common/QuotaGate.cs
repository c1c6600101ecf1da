using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Telemetry;
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
internal sealed partial class QuotaGate(IApplicationDbContext db, IQuotaCounterStore counters, QuotaSettings settings, ISettingsCache cache, DevanaMetrics metrics, TimeProvider clock, ILogger<QuotaGate> logger)
{
    /// <summary>The limits that apply to <paramref name="caller"/> calling the agent <paramref name="agentId"/>, read before any write.</summary>
    /// <exception cref="ServiceUnavailableException">The database failed.</exception>
    /// <remarks>Through the settings cache: the stored quotas are read at most once per cache lifetime.</remarks>
    public Task<QuotaPolicy> PolicyForAsync(Actor caller, string agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var (workspaceId, principalId) = (caller.WorkspaceId, caller.PrincipalId);
        return cache.GetOrLoadAsync($"quotas:{workspaceId}:{principalId}:{agentId}", token => ReadPolicyAsync(workspaceId, principalId, agentId, token), cancellationToken);
    }

    /// <summary>
    /// Counts the request and reserves <paramref name="tokens"/> at every level of <paramref name="policy"/>,
    /// or refuses it. Inside <see cref="IApplicationDbContext.InTransactionAsync{T}"/> the reservation
    /// commits (or rolls back) with the caller's other writes.
    /// </summary>
    /// <exception cref="QuotaExceededException">A limit would be exceeded; nothing was counted.</exception>
    /// <exception cref="ServiceUnavailableException">The database failed; nothing was counted.</exception>
    public async Task<QuotaReservation> ReserveAsync(QuotaPolicy policy, long tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = clock.GetUtcNow();
        var charges = policy.Reserve(tokens, now);
        var result = await counters.TryReserveAsync(charges, cancellationToken);
        if (result.Breach is not null)
        {
            metrics.QuotaRefused(result.Breach);
            throw new QuotaExceededException(result.Breach);
        }

        var rateLimits = new RateLimitSnapshot(
            QuotaPolicy.Tightest(charges, result.UsedAfter, QuotaMetric.Requests, now),
            QuotaPolicy.Tightest(charges, result.UsedAfter, QuotaMetric.Tokens, now));
        return new QuotaReservation(charges, rateLimits);
    }

    /// <summary>
    /// Runs <paramref name="write"/> (the answer's <c>SaveChangesAsync</c>) and settles the reservation to
    /// <paramref name="actualTokens"/> in one transaction, so one commit. A settlement that fails inside it
    /// is logged and does not undo the write; if the transaction itself fails, the counters are settled on
    /// their own and the write's exception propagates.
    /// </summary>
    public async Task WriteAndSettleAsync(QuotaReservation reservation, long actualTokens, Func<CancellationToken, Task> write)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        ArgumentNullException.ThrowIfNull(write);
        var adjustments = reservation.TryMarkSettled() ? QuotaPolicy.Settle(reservation.Charges, Math.Max(0, actualTokens)) : [];
        if (adjustments.Count == 0)
        {
            await write(CancellationToken.None);
            return;
        }

        var adjustedInside = false;
        try
        {
            await db.InTransactionAsync(async token =>
            {
                await write(token);
                adjustedInside = await TryAdjustAsync(adjustments, token);
                return adjustedInside;
            }, CancellationToken.None);
        }
        catch when (!adjustedInside)
        {
            // The write failed, so the transaction rolled back before the settlement: it still goes in, alone.
            // (When only the commit failed, whether it landed is unknown; settling again could refund twice,
            // so the reservation is left as it is, which errs on the side of the limit.)
            await TryAdjustAsync(adjustments, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Applies a settlement; a failure is logged (the reservation stays counted, which errs on the side of the limit).</summary>
    private async Task<bool> TryAdjustAsync(IReadOnlyList<QuotaCharge> adjustments, CancellationToken cancellationToken)
    {
        if (adjustments.Count == 0)
        {
            return true;
        }

        try
        {
            await counters.AdjustAsync(adjustments, cancellationToken);
            return true;
        }
        catch (Exception exception)
        {
            LogSettlementFailed(exception, adjustments[0].Key.WorkspaceId, adjustments[0].Amount);
            return false;
        }
    }

    /// <summary>The workspace's limits: its stored quota, else the configured defaults.</summary>
    public QuotaLimits WorkspaceLimits(Quota? stored) => stored?.Limits ?? settings.Default;

    private async Task<QuotaPolicy> ReadPolicyAsync(string workspaceId, string principalId, string agentId, CancellationToken cancellationToken)
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
