using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

/// <summary>
/// Using an agent (completions, <c>/v1/models</c>): its owner may, and everyone in its workspace when
/// its visibility is <c>workspace</c>. Admin rights are about changing agents, not using them. A deleted
/// agent is used by no one.
/// </summary>
public sealed class AgentMayBeUsedOnlyByItsOwnerUnlessSharedWithTheWorkspaceRule(Agent agent, Actor actor) : IBusinessRule
{
    /// <summary>The rule itself, for <see cref="IsBroken"/> and for queries (<see cref="Agent.UsableBy"/>).</summary>
    public static readonly AccessRule<Agent> Access = new((a, by) =>
        a.DeletedAt == null && a.WorkspaceId == by.WorkspaceId && (a.OwnerId == by.PrincipalId || a.Visibility == AgentVisibility.Workspace));

    public bool IsBroken() => !Access.Allows(agent, actor);

    public string Message => $"Agent '{agent.Id}' is private to its owner.";

    public RuleViolationKind Kind => RuleViolationKind.AccessDenied;
}
