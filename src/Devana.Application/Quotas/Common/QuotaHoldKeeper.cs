using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Conversations;
using Devana.Domain.Quotas;
using Devana.Domain.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Devana.Application.Quotas.Common;

/// <summary>
/// The two halves of the hold rule, run every E/3 by each instance's janitor (E =
/// <see cref="QuotaSettings.HoldExpiry"/>):
/// <list type="bullet">
/// <item><see cref="RenewAsync"/>: this instance pushes the expiry of its running completions' holds to
/// now + E, with the tokens each has used so far.</item>
/// <item><see cref="SettleExpiredAsync"/>: any instance settles holds whose expiry has passed — their
/// owner stopped renewing them, so it died (or lost the database for longer than E). Each is settled
/// once, in one transaction: the hold is deleted (the first instance to delete it is the one that
/// settles it), the user turn it left pending is marked failed so the conversation can go on, a
/// <c>failed</c> usage row records the tokens its owner last reported, and the counters are corrected
/// to those tokens (the rest of the reservation comes back).</item>
/// </list>
/// A live hold is renewed at least twice before it could expire; a dead instance's holds are settled at
/// most E (the last renewal's expiry) + E/3 (the next janitor pass) = 4/3·E after it died.
/// </summary>
public sealed partial class QuotaHoldKeeper(IApplicationDbContext db, IQuotaCounterStore counters, LiveQuotaHolds live, QuotaSettings settings, TimeProvider clock, ILogger<QuotaHoldKeeper> logger)
{
    /// <summary>At most this many expired holds are settled in one pass; the next pass takes the rest.</summary>
    public const int BatchSize = 100;

    public const string FailedTurnReason =
        "The server instance answering this turn stopped before the answer was stored; send the turn again.";

    /// <summary>Renews every hold of this instance; returns how many were renewed.</summary>
    public async Task<int> RenewAsync(CancellationToken cancellationToken)
    {
        var holds = live.All;
        if (holds.Count == 0)
        {
            return 0;
        }

        var expiresAt = clock.GetUtcNow() + settings.HoldExpiry;
        var lost = new List<string>();
        var renewed = await db.InTransactionAsync(async token =>
        {
            lost.Clear();
            var count = 0;
            foreach (var hold in holds)
            {
                var (id, completion) = (hold.Id, hold.CompletionTokens);
                var changed = await db.QuotaHolds
                    .Where(h => h.Id == id)
                    .ExecuteUpdateAsync(set => set.SetProperty(h => h.ExpiresAt, expiresAt).SetProperty(h => h.CompletionTokens, completion), token);
                if (changed > 0)
                {
                    count++;
                }
                else
                {
                    lost.Add(id);
                }
            }

            return count;
        }, cancellationToken);

        // A hold that settled meanwhile is gone and no longer live; one still live was settled by another instance.
        foreach (var id in lost.Where(live.IsLive))
        {
            LogRenewalFoundNoHold(id);
        }

        return renewed;
    }

    /// <summary>Settles up to <see cref="BatchSize"/> expired holds, whoever took them; returns how many this call settled.</summary>
    public async Task<int> SettleExpiredAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expired = await db.QuotaHolds.AsNoTracking()
            .Where(h => h.ExpiresAt <= now)
            .OrderBy(h => h.ExpiresAt)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var settled = 0;
        foreach (var hold in expired)
        {
            try
            {
                if (await SettleAsync(hold, now, cancellationToken))
                {
                    settled++;
                    LogSettled(hold.Id, hold.InstanceId, hold.MessageId, hold.PromptTokens + hold.CompletionTokens);
                }
            }
            catch (Exception exception) when (DatabaseFailure.Is(exception))
            {
                LogSettleFailed(exception, hold.Id);
            }
        }

        return settled;
    }

    private Task<bool> SettleAsync(QuotaHold hold, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async token =>
        {
            // The claim: an instance that renewed it meanwhile, or another janitor that got here first, leaves nothing to delete.
            var claimed = await db.QuotaHolds.Where(h => h.Id == hold.Id && h.ExpiresAt <= now).ExecuteDeleteAsync(token);
            if (claimed == 0)
            {
                return false;
            }

            var conversation = await db.Conversations
                .Include(c => c.Messages.Where(m => m.Id == hold.MessageId))
                .FirstOrDefaultAsync(c => c.Id == hold.ConversationId, token);
            var turn = conversation?.Messages.FirstOrDefault(m => m.Id == hold.MessageId);
            if (turn is { Status: MessageStatus.Pending })
            {
                conversation!.FailTurn(turn, FailedTurnReason, now);
            }

            db.UsageRecords.Add(UsageRecord.Record(
                hold.WorkspaceId,
                hold.PrincipalId,
                hold.AgentId,
                hold.LlmId,
                hold.ConversationId,
                hold.PromptTokens,
                hold.CompletionTokens,
                (long)Math.Max(0, (now - hold.CreatedAt).TotalMilliseconds),
                UsageOutcome.Failed,
                now,
                hold.EndUser));
            await db.SaveChangesAsync(token);
            await counters.AdjustAsync(hold.Settlement(), token);
            return true;
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quota hold {HoldId} of this instance was gone when renewed: it expired and another instance settled it")]
    private partial void LogRenewalFoundNoHold(string holdId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settled expired quota hold {HoldId} of instance {InstanceId}: turn {MessageId} marked failed, {Tokens} tokens kept")]
    private partial void LogSettled(string holdId, string instanceId, string messageId, long tokens);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not settle expired quota hold {HoldId}; the next pass tries again")]
    private partial void LogSettleFailed(Exception exception, string holdId);
}
