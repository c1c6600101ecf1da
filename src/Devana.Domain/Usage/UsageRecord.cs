using Devana.Domain.Common;

namespace Devana.Domain.Usage;

/// <summary>
/// One row of the usage ledger: one completion request, whatever its outcome, with the tokens it was
/// charged (the same figures the quota counters were settled with). Reports sum these rows.
/// </summary>
public sealed class UsageRecord : Entity
{
    private UsageRecord()
    {
        // For EF Core.
    }

    /// <summary>Assigned by the database.</summary>
    public long Id { get; private set; }

    public string WorkspaceId { get; private set; } = null!;

    /// <summary><c>usr_…</c> or <c>cli_…</c>.</summary>
    public string PrincipalId { get; private set; } = null!;

    public string AgentId { get; private set; } = null!;

    /// <summary>The LLM that was called.</summary>
    public string LlmId { get; private set; } = null!;

    public string ConversationId { get; private set; } = null!;

    public long PromptTokens { get; private set; }

    public long CompletionTokens { get; private set; }

    public long TotalTokens => PromptTokens + CompletionTokens;

    public long LatencyMs { get; private set; }

    public UsageOutcome Outcome { get; private set; }

    /// <summary>The caller's own end-user id (the request's <c>user</c>), when it sent one.</summary>
    public string? EndUser { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static UsageRecord Record(
        string workspaceId,
        string principalId,
        string agentId,
        string llmId,
        string conversationId,
        long promptTokens,
        long completionTokens,
        long latencyMs,
        UsageOutcome outcome,
        DateTimeOffset now,
        string? endUser = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(principalId);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(llmId);
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(completionTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(latencyMs);
        if (!Enum.IsDefined(outcome))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown usage outcome.");
        }

        return new UsageRecord
        {
            WorkspaceId = workspaceId,
            PrincipalId = principalId,
            AgentId = agentId,
            LlmId = llmId,
            ConversationId = conversationId,
            PromptTokens = promptTokens,
            CompletionTokens = completionTokens,
            LatencyMs = latencyMs,
            Outcome = outcome,
            EndUser = endUser,
            CreatedAt = now,
        };
    }
}
