using Devana.Domain.Quotas;

namespace Devana.Infrastructure.Quotas;

/// <summary>
/// One row of <c>quota_counters</c>: the usage of one subject, for one limit kind, in one window. Not a
/// domain entity: it is only ever changed by <see cref="EfQuotaCounterStore"/>'s atomic SQL, never loaded
/// and saved. Windows are Unix seconds so that raw SQL and every provider read them alike.
/// </summary>
internal sealed class QuotaCounter
{
    public const string Table = "quota_counters";

    public string WorkspaceId { get; set; } = null!;

    /// <summary><c>workspace</c>, <c>principal</c> or <c>agent</c>.</summary>
    public string Level { get; set; } = null!;

    public string SubjectId { get; set; } = null!;

    /// <summary><c>requests_per_minute</c>, <c>requests_per_day</c>, <c>tokens_per_day</c> or <c>tokens_per_month</c>.</summary>
    public string Kind { get; set; } = null!;

    public long WindowStart { get; set; }

    /// <summary>When the window ends: what the janitor purges on.</summary>
    public long WindowEnd { get; set; }

    public long Used { get; set; }

    public static QuotaCounter For(QuotaCharge charge)
    {
        ArgumentNullException.ThrowIfNull(charge);
        return new QuotaCounter
        {
            WorkspaceId = charge.Key.WorkspaceId,
            Level = LevelName(charge.Level),
            SubjectId = charge.Key.SubjectId,
            Kind = charge.Kind.WireName(),
            WindowStart = charge.Key.WindowStart.ToUnixTimeSeconds(),
            WindowEnd = charge.ResetsAt.ToUnixTimeSeconds(),
        };
    }

    public (string WorkspaceId, string Level, string SubjectId, string Kind, long WindowStart) Key => (WorkspaceId, Level, SubjectId, Kind, WindowStart);

    public static string LevelName(QuotaLevel level) => level switch
    {
        QuotaLevel.Workspace => "workspace",
        QuotaLevel.Principal => "principal",
        QuotaLevel.Agent => "agent",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown quota level."),
    };

    public static QuotaLevel LevelOf(string name) => name switch
    {
        "workspace" => QuotaLevel.Workspace,
        "principal" => QuotaLevel.Principal,
        "agent" => QuotaLevel.Agent,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown quota level."),
    };

    public static QuotaLimitKind KindOf(string name)
    {
        foreach (var kind in QuotaLimitKinds.All)
        {
            if (kind.WireName() == name)
            {
                return kind;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown quota limit kind.");
    }
}
