using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

/// <summary>
/// Using an agent (completions, <c>/v1/models</c>): its owner may, and everyone in its workspace when
/// its visibility is <c>workspace</c>. Admin rights are about changing agents, not using them.
/// </summary>
public sealed class AgentMayBeUsedOnlyByItsOwnerUnlessSharedWithTheWorkspaceRule(Agent agent, Actor actor) : IBusinessRule
{
    public bool IsBroken() => !agent.CanBeUsedBy(actor);

    public string Message => $"Agent '{agent.Id}' is private to its owner.";

    public RuleViolationKind Kind => RuleViolationKind.AccessDenied;
}
