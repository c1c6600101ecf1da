namespace Devana.Domain.Agents;

/// <summary>Who may use an agent besides its owner.</summary>
public enum AgentVisibility
{
    /// <summary>Only the owner uses it (a workspace admin may still change it).</summary>
    Private,

    /// <summary>Everyone in the owner's workspace uses it.</summary>
    Workspace,
}
