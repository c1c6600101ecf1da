using System.Collections.Concurrent;
using Devana.Domain.Quotas;

namespace Devana.Application.Quotas.Common;

/// <summary>
/// The quota holds of the completions this instance is running (one per process): what the janitor
/// renews, with the tokens each has used so far (what an expired hold is settled to if this instance dies).
/// </summary>
public sealed class LiveQuotaHolds
{
    private readonly ConcurrentDictionary<string, LiveQuotaHold> _holds = new(StringComparer.Ordinal);

    /// <summary>Written on this instance's holds, for operators: host, process and a random part.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    public IReadOnlyList<LiveQuotaHold> All => _holds.Values.ToList();

    public int Count => _holds.Count;

    public bool IsLive(string holdId) => _holds.ContainsKey(holdId);

    /// <summary>Once the reservation's hold is stored: this instance renews it until it settles.</summary>
    public void StartRenewing(QuotaReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.Hold is { } hold)
        {
            Keep(hold);
        }
    }

    /// <summary>
    /// Takes the settlement of <paramref name="reservation"/> to <paramref name="actualTokens"/>: the counter
    /// adjustments (none when it was already settled) and its hold, which from here on is no longer renewed.
    /// </summary>
    public QuotaSettlement TakeSettlement(QuotaReservation reservation, long actualTokens)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var adjustments = reservation.TryMarkSettled() ? QuotaPolicy.Settle(reservation.Charges, Math.Max(0, actualTokens)) : [];
        if (reservation.Hold is { } hold)
        {
            Forget(hold.Id);
        }

        return new QuotaSettlement(adjustments, reservation.Hold);
    }

    internal void Keep(LiveQuotaHold hold) => _holds[hold.Id] = hold;

    internal void Forget(string holdId) => _holds.TryRemove(holdId, out _);
}

/// <summary>One running completion's hold, and the tokens it has used so far (updated as the answer streams).</summary>
public sealed class LiveQuotaHold(string id, long promptTokens)
{
    private long _completionTokens;

    public string Id { get; } = id;

    /// <summary>The prompt, counted from the start: the LLM is called right after the hold is taken.</summary>
    public long PromptTokens { get; } = promptTokens;

    public long CompletionTokens => Interlocked.Read(ref _completionTokens);

    internal void AddCompletionTokens(long tokens) => Interlocked.Add(ref _completionTokens, tokens);
}
