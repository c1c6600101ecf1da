using Devana.Domain.Common;

namespace Devana.Domain.Quotas;

/// <summary>
/// What an admitted completion holds while it runs: the tokens it reserved on the counters and the user
/// turn it left pending, with an expiry. The instance running the completion renews the expiry while it
/// runs and removes the hold when it settles. A hold that expires belongs to no live instance (the one that
/// took it died, or lost the database for longer than the expiry): any instance settles it to the tokens
/// its owner last reported (<see cref="Settlement"/>) and marks the turn failed.
/// </summary>
public sealed class QuotaHold : Entity
{
    private List<QuotaCharge> _tokenCharges = [];

    private QuotaHold()
    {
        // For EF Core.
    }

    public string Id { get; private set; } = null!;

    /// <summary>The instance that took it (host name, process id and a random part): for operators, not for any decision.</summary>
    public string InstanceId { get; private set; } = null!;

    public string WorkspaceId { get; private set; } = null!;

    public string PrincipalId { get; private set; } = null!;

    public string AgentId { get; private set; } = null!;

    public string LlmId { get; private set; } = null!;

    public string ConversationId { get; private set; } = null!;

    /// <summary>The pending user turn the completion answers.</summary>
    public string MessageId { get; private set; } = null!;

    public string? EndUser { get; private set; }

    /// <summary>The token charges of the reservation (request charges are never given back).</summary>
    public IReadOnlyList<QuotaCharge> TokenCharges => _tokenCharges;

    /// <summary>Tokens the prompt uses (all choices): counted from the start, since the LLM is called right after the hold is taken.</summary>
    public long PromptTokens { get; private set; }

    /// <summary>Tokens the LLM wrote, as last reported by the owner.</summary>
    public long CompletionTokens { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>A new hold on <paramref name="charges"/>' token charges, expiring <paramref name="expiry"/> after <paramref name="now"/>.</summary>
    public static QuotaHold Take(QuotaHoldSubject subject, string instanceId, IReadOnlyList<QuotaCharge> charges, DateTimeOffset now, TimeSpan expiry)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        ArgumentNullException.ThrowIfNull(charges);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiry, TimeSpan.Zero);
        return new QuotaHold
        {
            Id = IdFor(subject.MessageId),
            InstanceId = instanceId,
            WorkspaceId = subject.WorkspaceId,
            PrincipalId = subject.PrincipalId,
            AgentId = subject.AgentId,
            LlmId = subject.LlmId,
            ConversationId = subject.ConversationId,
            MessageId = subject.MessageId,
            EndUser = subject.EndUser,
            _tokenCharges = charges.Where(c => c.Metric == QuotaMetric.Tokens).ToList(),
            PromptTokens = subject.PromptTokens,
            ExpiresAt = now + expiry,
            CreatedAt = now,
        };
    }

    /// <summary>One hold per user turn: a transaction that runs again takes the same hold, not a second one.</summary>
    public static string IdFor(string messageId) => "qh_" + messageId;

    public bool IsExpired(DateTimeOffset now) => ExpiresAt <= now;

    /// <summary>
    /// How an expired hold settles: each token charge corrected to what the owner last reported using
    /// (<see cref="QuotaPolicy.Settle"/>), so the tokens the LLM really used stay counted and the rest of
    /// the reservation comes back.
    /// </summary>
    public IReadOnlyList<QuotaCharge> Settlement() => QuotaPolicy.Settle(_tokenCharges, PromptTokens + CompletionTokens);
}

/// <summary>Whose completion a hold is for: the caller, the agent, the LLM, the pending user turn, and the prompt's tokens (all choices).</summary>
public sealed record QuotaHoldSubject(string WorkspaceId, string PrincipalId, string AgentId, string LlmId, string ConversationId, string MessageId, string? EndUser, long PromptTokens)
{
    public string WorkspaceId { get; } = Required(WorkspaceId);

    public string PrincipalId { get; } = Required(PrincipalId);

    public string AgentId { get; } = Required(AgentId);

    public string LlmId { get; } = Required(LlmId);

    public string ConversationId { get; } = Required(ConversationId);

    public string MessageId { get; } = Required(MessageId);

    public long PromptTokens { get; } = PromptTokens >= 0 ? PromptTokens : throw new ArgumentOutOfRangeException(nameof(PromptTokens), PromptTokens, "Prompt tokens cannot be negative.");

    private static string Required(string value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        return value;
    }
}
