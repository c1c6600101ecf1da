using Devana.Domain.Agents;

namespace Devana.Application.Agents.Common;

/// <summary>The wire names of <see cref="AgentVisibility"/>: <c>private</c> and <c>workspace</c>.</summary>
public static class AgentVisibilityNames
{
    public const string Private = "private";
    public const string Workspace = "workspace";

    public static string ToName(AgentVisibility visibility) => visibility switch
    {
        AgentVisibility.Private => Private,
        AgentVisibility.Workspace => Workspace,
        _ => throw new ArgumentOutOfRangeException(nameof(visibility), visibility, null),
    };

    public static bool TryParse(string? name, out AgentVisibility visibility)
    {
        switch (name)
        {
            case Private:
                visibility = AgentVisibility.Private;
                return true;
            case Workspace:
                visibility = AgentVisibility.Workspace;
                return true;
            default:
                visibility = default;
                return false;
        }
    }

    /// <summary>Parses a name the validators already accepted.</summary>
    public static AgentVisibility Parse(string name) =>
        TryParse(name, out var visibility) ? visibility : throw new ArgumentOutOfRangeException(nameof(name), name, "Not an agent visibility.");
}
