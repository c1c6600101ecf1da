using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// The writes of a completion, both through the group-committed write path (<see cref="IGroupCommit"/>), each
/// in one transaction with whatever other completions wrote at the same moment:
/// <list type="bullet">
/// <item><see cref="ReserveAsync"/>: the reservation on the quota counters, its hold and the user turn, before
/// the LLM is called. A refused request (403) stores nothing; a user turn that cannot be stored counts nothing.</item>
/// <item><see cref="RecordAsync"/>: the answer (or the failed turn), its usage-ledger row and the settlement of
/// the reservation with the same tokens.</item>
/// </list>
/// Each caller returns once its transaction has committed. It holds no database context of its own: every
/// write runs on the writer's, so an open stream that records its answer at the end holds none either.
/// </summary>
internal sealed class CompletionWrites(IGroupCommit writer, LiveQuotaHolds live)
{
    /// <summary>Reserves <paramref name="tokens"/> and stores the user turn (the changes in <paramref name="turn"/>) and the hold together; then renews the hold.</summary>
    /// <exception cref="QuotaExceededException">A limit would be exceeded; nothing was stored.</exception>
    /// <exception cref="Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException">Another turn of the conversation was stored since it was read; nothing was stored.</exception>
    public async Task<QuotaReservation> ReserveAsync(QuotaPolicy policy, long tokens, QuotaHoldSubject hold, ConversationChanges turn, CancellationToken cancellationToken)
    {
        var reservation = await writer.WriteAsync(
            async (unit, token) =>
            {
                var reserved = await unit.Get<QuotaGate>().ReserveAsync(policy, tokens, hold, token);
                await turn.ApplyAsync(unit, token);
                return reserved;
            },
            cancellationToken);
        live.StartRenewing(reservation);
        return reservation;
    }

    /// <summary>
    /// Runs <paramref name="write"/> (the answer and its usage-ledger row: the runner's
    /// <see cref="ConversationChanges"/>; it writes its rows itself, through <see cref="IApplicationDbContext.Rows"/>
    /// or its own <c>SaveChangesAsync</c>), removes the hold and settles the reservation to <paramref name="actualTokens"/>, in one transaction. A settlement that
    /// fails inside it is logged and does not undo the write. If the write fails, the hold is removed and the
    /// counters settled on their own, and the write's exception propagates. Stored even when the caller has gone:
    /// the answer and its tokens are real.
    /// </summary>
    /// <exception cref="ServiceUnavailableException">The hold had expired and another instance settled it
    /// (and marked the turn failed): nothing is written, so the turn is not charged twice.</exception>
    public async Task RecordAsync(QuotaReservation reservation, long actualTokens, Func<IWriteUnit, CancellationToken, Task> write)
    {
        var settlement = live.TakeSettlement(reservation, actualTokens);
        var written = false;
        var lost = false;
        try
        {
            await writer.WriteAsync(
                async (unit, token) =>
                {
                    (written, lost) = (false, false);
                    var gate = unit.Get<QuotaGate>();
                    try
                    {
                        await gate.ReleaseHoldAsync(settlement, token);
                    }
                    catch (ServiceUnavailableException)
                    {
                        lost = true;
                        throw;
                    }

                    await write(unit, token);
                    written = true;
                    return await gate.AdjustAsync(settlement, token);
                },
                CancellationToken.None);
        }
        catch when (!written && !lost)
        {
            // The write failed, so its savepoint rolled back before the settlement: it still goes in, alone.
            // (When only the commit failed, whether it landed is unknown; settling again could refund twice,
            // so the reservation is left as it is, which errs on the side of the limit.)
            await SettleAloneAsync(settlement);
            throw;
        }
    }

    private async Task SettleAloneAsync(QuotaSettlement settlement)
    {
        try
        {
            await writer.WriteAsync(
                async (unit, _) =>
                {
                    await unit.Get<QuotaGate>().SettleAloneAsync(settlement);
                    return true;
                },
                CancellationToken.None);
        }
        catch (Exception exception) when (DatabaseFailure.Is(exception))
        {
            // Logged by the gate when it ran; if the commit failed, the hold expires and the janitor settles it.
        }
    }
}
