using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

/// <summary>Changing or deleting an agent: its owner, or an admin of its workspace.</summary>
public sealed class AgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdminRule(Agent agent, Actor actor) : IBusinessRule
{
    /// <summary>The rule itself, for <see cref="IsBroken"/> and for queries.</summary>
    public static AccessRule<Agent> Access => Ownership<Agent>.OwnerOrWorkspaceAdmin;

    public bool IsBroken() => !Access.Allows(agent, actor);

    public string Message => $"Only the owner of agent '{agent.Id}' or a workspace admin may change or delete it.";

    public RuleViolationKind Kind => RuleViolationKind.AccessDenied;
}
