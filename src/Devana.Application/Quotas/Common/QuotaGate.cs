using System.Globalization;
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
/// before the LLM is called, and settles the tokens once it has answered. A reservation made for a user
/// turn carries a hold (<see cref="QuotaHold"/>) that this instance renews while the completion runs
/// (<see cref="QuotaHoldKeeper"/>) and removes when it settles: if the instance dies, the hold expires and
/// another instance settles it.
/// </summary>
internal sealed partial class QuotaGate(IApplicationDbContext db, IQuotaCounterStore counters, QuotaSettings settings, ISettingsCache cache, LiveQuotaHolds live, DevanaMetrics metrics, TimeProvider clock, ILogger<QuotaGate> logger)
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
    /// commits (or rolls back) with the caller's other writes. With a <paramref name="subject"/>, the
    /// reservation's hold is written in the same transaction (so the call needs one), and <see cref="LiveQuotaHolds.StartRenewing"/> once it has committed keeps it alive.
    /// </summary>
    /// <exception cref="QuotaExceededException">A limit would be exceeded; nothing was counted.</exception>
    /// <exception cref="ServiceUnavailableException">The database failed; nothing was counted.</exception>
    public async Task<QuotaReservation> ReserveAsync(QuotaPolicy policy, long tokens, QuotaHoldSubject? subject, CancellationToken cancellationToken)
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
        if (subject is null)
        {
            return new QuotaReservation(charges, rateLimits);
        }

        // Written at once, in the caller's transaction: it commits with the counters and the caller's rows, or
        // rolls back with them (a transaction run again after a transient failure writes it again).
        var hold = QuotaHold.Take(subject, live.InstanceId, charges, now, settings.HoldExpiry);
        await db.Rows.InsertAsync(hold, cancellationToken);
        return new QuotaReservation(charges, rateLimits, new LiveQuotaHold(hold.Id, hold.PromptTokens));
    }

    /// <summary>
    /// Inside the caller's transaction (the answer's write unit), before its write: removes the hold. Fails
    /// when another instance settled it meanwhile, so that the write is not stored and the turn not charged twice.
    /// </summary>
    /// <exception cref="ServiceUnavailableException">The hold had expired and another instance settled it (and marked the turn failed).</exception>
    public async Task ReleaseHoldAsync(QuotaSettlement settlement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        if (settlement.Hold is { } hold && !await ReleaseAsync(hold, cancellationToken))
        {
            throw HoldLost(hold);
        }
    }

    /// <summary>
    /// Inside the caller's transaction, after its write: applies the adjustments. A failure is logged and does
    /// not undo the write (the reservation stays counted, which errs on the side of the limit).
    /// </summary>
    /// <returns>Whether the counters were settled (or had nothing to settle).</returns>
    public Task<bool> AdjustAsync(QuotaSettlement settlement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        return TryAdjustAsync(settlement.Adjustments, cancellationToken);
    }

    /// <summary>
    /// The write failed and rolled back before the settlement: removes the hold and applies the adjustments
    /// in a transaction of their own (or the unit of work it runs in). A failure is logged (the hold then
    /// expires and is settled by the janitor).
    /// </summary>
    public Task SettleAloneAsync(QuotaSettlement settlement)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        return SettleAloneAsync(settlement.Hold, settlement.Adjustments);
    }

    /// <summary>Removes the hold and applies the settlement in a transaction of their own; a failure is logged (the hold then expires and is settled by the janitor).</summary>
    private async Task SettleAloneAsync(LiveQuotaHold? hold, IReadOnlyList<QuotaCharge> adjustments)
    {
        if (hold is null)
        {
            await TryAdjustAsync(adjustments, CancellationToken.None);
            return;
        }

        try
        {
            await db.InTransactionAsync(async token =>
            {
                // A hold already gone was settled by another instance: nothing more to give back.
                return await ReleaseAsync(hold, token) && await TryAdjustAsync(adjustments, token);
            }, CancellationToken.None);
        }
        catch (Exception exception) when (DatabaseFailure.Is(exception))
        {
            LogSettlementFailed(exception, adjustments.Count > 0 ? adjustments[0].Key.WorkspaceId : "?", adjustments.Count > 0 ? adjustments[0].Amount : 0);
        }
    }

    /// <summary>Deletes the hold; false when it was gone (it expired and another instance settled it).</summary>
    private async Task<bool> ReleaseAsync(LiveQuotaHold hold, CancellationToken cancellationToken) =>
        await db.Rows.DeleteAsync<QuotaHold>(hold.Id, cancellationToken);

    private ServiceUnavailableException HoldLost(LiveQuotaHold hold)
    {
        LogHoldLost(hold.Id);
        return new ServiceUnavailableException(string.Create(
            CultureInfo.InvariantCulture,
            $"The answer could not be stored: this server could not renew its quota reservation for {settings.HoldExpiry.TotalSeconds:0} seconds (the database was out of reach), so another instance settled it and marked the turn failed. Send the turn again."));
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quota hold {HoldId} expired before its completion settled; another instance settled it, and the answer is not stored")]
    private partial void LogHoldLost(string holdId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not settle quota counters of workspace {WorkspaceId} by {Amount} tokens; the reservation stays counted")]
    private partial void LogSettlementFailed(Exception exception, string workspaceId, long amount);
}
