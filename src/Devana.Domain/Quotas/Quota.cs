using Devana.Domain.Common;
using Devana.Domain.Quotas.Rules;

namespace Devana.Domain.Quotas;

/// <summary>
/// A stored quota: the limits a workspace admin set for the workspace itself, one principal or one agent.
/// A stored workspace quota replaces the configured defaults as a whole; principals and agents without
/// one have no limit of their own. The identity is (<see cref="WorkspaceId"/>, <see cref="Level"/>,
/// <see cref="SubjectId"/>); for the workspace level the subject is the workspace id.
/// </summary>
public sealed class Quota : Entity
{
    private Quota()
    {
        // For EF Core.
    }

    public string WorkspaceId { get; private set; } = null!;

    public QuotaLevel Level { get; private set; }

    /// <summary>The workspace id, the principal id (<c>usr_…</c> / <c>cli_…</c>) or the agent id.</summary>
    public string SubjectId { get; private set; } = null!;

    /// <summary><c>{level}:{subject}</c> (<c>agent:support</c>): unique in the workspace, one string to order and page on.</summary>
    public string Key { get; private set; } = null!;

    public long RequestsPerMinute { get; private set; }

    public long RequestsPerDay { get; private set; }

    public long TokensPerDay { get; private set; }

    public long TokensPerMonth { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public QuotaLimits Limits => QuotaLimits.Create(RequestsPerMinute, RequestsPerDay, TokensPerDay, TokensPerMonth);

    /// <summary>A new quota for <paramref name="subjectId"/> at <paramref name="level"/> in the admin's workspace.</summary>
    /// <exception cref="BusinessRuleValidationException">The actor is no admin of the workspace.</exception>
    public static Quota Create(Actor admin, QuotaLevel level, string subjectId, QuotaLimits limits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        if (!Enum.IsDefined(level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown quota level.");
        }

        if (level == QuotaLevel.Workspace && subjectId != admin.WorkspaceId)
        {
            throw new ArgumentException("A workspace quota's subject is its workspace.", nameof(subjectId));
        }

        var quota = new Quota
        {
            WorkspaceId = admin.WorkspaceId,
            Level = level,
            SubjectId = subjectId,
            Key = $"{level.ToString().ToLowerInvariant()}:{subjectId}",
            CreatedAt = now,
        };
        quota.Change(admin, limits, now);
        return quota;
    }

    /// <summary>Replaces the four limits (PUT: a limit not given is 0, no limit).</summary>
    /// <exception cref="BusinessRuleValidationException">The actor is no admin of the workspace.</exception>
    public void Change(Actor admin, QuotaLimits limits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(limits);
        CheckRule(new QuotasMayBeSetOnlyByAWorkspaceAdminRule(admin, WorkspaceId));
        RequestsPerMinute = limits.RequestsPerMinute;
        RequestsPerDay = limits.RequestsPerDay;
        TokensPerDay = limits.TokensPerDay;
        TokensPerMonth = limits.TokensPerMonth;
        UpdatedAt = now;
    }
}
