using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

public sealed class AgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdminRule(Agent agent, Actor actor) : IBusinessRule
{
    public bool IsBroken() => !agent.CanBeChangedBy(actor);

    public string Message => $"Only the owner of agent '{agent.Id}' or a workspace admin may change or delete it.";

    public RuleViolationKind Kind => RuleViolationKind.AccessDenied;
}
