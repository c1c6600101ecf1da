namespace Devana.Domain.Quotas;

/// <summary>The limits of one level for one subject (0: none).</summary>
public sealed record QuotaSubjectLimits(QuotaLevel Level, string SubjectId, QuotaLimits Limits);

/// <summary>
/// The quota rule for one request: the limits that apply to it at each level (the workspace, the calling
/// principal, the agent), what it reserves before the LLM is called, whether it may start, and how it
/// settles once the LLM has answered.
/// <list type="bullet">
/// <item>Every request adds 1 to the request counters and reserves its prompt estimate plus its
/// <c>max_tokens</c>, times n, on the token counters, at every level, in the current UTC windows.</item>
/// <item>It may start only if every charge fits (<see cref="QuotaCharge.FitsWithin"/>); one charge that
/// does not fit refuses the whole request, and nothing is counted.</item>
/// <item>When it ends, the token counters it reserved on are adjusted by actual − reserved, in the
/// windows it reserved in; the request counters keep their 1 (failed and cancelled requests count).</item>
/// </list>
/// </summary>
public sealed class QuotaPolicy
{
    public QuotaPolicy(string workspaceId, IReadOnlyList<QuotaSubjectLimits> subjects)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentNullException.ThrowIfNull(subjects);
        WorkspaceId = workspaceId;
        Subjects = subjects;
    }

    public string WorkspaceId { get; }

    public IReadOnlyList<QuotaSubjectLimits> Subjects { get; }

    /// <summary>
    /// The policy of a completion: the workspace's limits (a stored workspace quota, else the configured
    /// defaults), the principal's and the agent's (their stored quotas, else none).
    /// </summary>
    public static QuotaPolicy ForCompletion(string workspaceId, QuotaLimits workspace, string principalId, QuotaLimits? principal, string agentId, QuotaLimits? agent)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentException.ThrowIfNullOrWhiteSpace(principalId);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        return new QuotaPolicy(workspaceId,
        [
            new QuotaSubjectLimits(QuotaLevel.Workspace, workspaceId, workspace),
            new QuotaSubjectLimits(QuotaLevel.Principal, principalId, principal ?? QuotaLimits.None),
            new QuotaSubjectLimits(QuotaLevel.Agent, agentId, agent ?? QuotaLimits.None),
        ]);
    }

    /// <summary>The tokens a completion reserves: (prompt estimate + max_tokens) × n.</summary>
    public static long TokensToReserve(int promptTokens, int maxTokens, int choices)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(choices, 1);
        return ((long)promptTokens + maxTokens) * choices;
    }

    /// <summary>What a request that may use <paramref name="tokens"/> tokens adds: one charge per level and limit.</summary>
    public IReadOnlyList<QuotaCharge> Reserve(long tokens, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        return ChargesFor(1, tokens, now);
    }

    /// <summary>The counters of the windows that hold <paramref name="now"/>, with nothing added (to read them).</summary>
    public IReadOnlyList<QuotaCharge> Counters(DateTimeOffset now) => ChargesFor(0, 0, now);

    /// <summary>
    /// Whether a request may start: null when every charge fits the counters as they are, else the first
    /// limit it would go over. <paramref name="used"/> holds each charge's counter, in order.
    /// </summary>
    public static QuotaBreach? FirstBreach(IReadOnlyList<QuotaCharge> charges, IReadOnlyList<long> used)
    {
        ArgumentNullException.ThrowIfNull(charges);
        ArgumentNullException.ThrowIfNull(used);
        for (var i = 0; i < charges.Count; i++)
        {
            if (!charges[i].FitsWithin(used[i]))
            {
                return new QuotaBreach(charges[i], used[i]);
            }
        }

        return null;
    }

    /// <summary>
    /// How a finished request settles: each token charge it reserved is corrected by
    /// <paramref name="actualTokens"/> − reserved (a refund when less was used); request charges are kept.
    /// A failure before any output settles with 0 tokens: every reserved token comes back.
    /// </summary>
    public static IReadOnlyList<QuotaCharge> Settle(IReadOnlyList<QuotaCharge> reserved, long actualTokens)
    {
        ArgumentNullException.ThrowIfNull(reserved);
        ArgumentOutOfRangeException.ThrowIfNegative(actualTokens);
        return reserved
            .Where(charge => charge.Metric == QuotaMetric.Tokens && charge.Amount != actualTokens)
            .Select(charge => charge with { Amount = actualTokens - charge.Amount })
            .ToList();
    }

    /// <summary>
    /// The tightest limit of <paramref name="metric"/> once a request is counted: the one with the least
    /// left (on a tie, the one that resets last). Null when no limit of that metric applies.
    /// </summary>
    public static RateLimitStatus? Tightest(IReadOnlyList<QuotaCharge> charges, IReadOnlyList<long> usedAfter, QuotaMetric metric, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(charges);
        ArgumentNullException.ThrowIfNull(usedAfter);
        var tightest = charges
            .Select((charge, index) => (Charge: charge, Remaining: charge.RemainingAfter(usedAfter[index])))
            .Where(item => item.Charge.Metric == metric && item.Charge.IsLimited)
            .OrderBy(item => item.Remaining)
            .ThenByDescending(item => item.Charge.ResetsAt)
            .FirstOrDefault();
        if (tightest.Charge is null)
        {
            return null;
        }

        var resetsIn = tightest.Charge.ResetsAt - now;
        return new RateLimitStatus(tightest.Charge.Limit, tightest.Remaining, resetsIn < TimeSpan.Zero ? TimeSpan.Zero : resetsIn);
    }

    private List<QuotaCharge> ChargesFor(long requests, long tokens, DateTimeOffset now)
    {
        var charges = new List<QuotaCharge>(Subjects.Count * QuotaLimitKinds.All.Count);
        foreach (var subject in Subjects)
        {
            foreach (var kind in QuotaLimitKinds.All)
            {
                var window = kind.Window();
                var key = new QuotaCounterKey(WorkspaceId, subject.Level, subject.SubjectId, kind, window.StartOf(now));
                var amount = kind.Metric() == QuotaMetric.Requests ? requests : tokens;
                charges.Add(new QuotaCharge(key, window.EndOf(now), subject.Limits.Of(kind), amount));
            }
        }

        return charges;
    }
}
