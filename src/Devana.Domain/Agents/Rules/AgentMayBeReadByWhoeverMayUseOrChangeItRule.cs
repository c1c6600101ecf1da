using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

/// <summary>
/// Reading an agent's settings (<c>GET /v1/agents…</c>): whoever may use it, or change it while it is not
/// deleted. Inside the workspace, someone else's private agent is a 403, not a 404 (docs/agents.md).
/// </summary>
public sealed class AgentMayBeReadByWhoeverMayUseOrChangeItRule(Agent agent, Actor actor) : IBusinessRule
{
    /// <summary>The rule itself, for <see cref="IsBroken"/> and for queries (<see cref="Agent.ViewableBy"/>).</summary>
    public static readonly AccessRule<Agent> Access = AgentMayBeUsedOnlyByItsOwnerUnlessSharedWithTheWorkspaceRule.Access
        .Or(AgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdminRule.Access.And(a => a.DeletedAt == null));

    public bool IsBroken() => !Access.Allows(agent, actor);

    public string Message => $"Agent '{agent.Id}' is private to its owner.";

    public RuleViolationKind Kind => RuleViolationKind.AccessDenied;
}
