using Devana.Domain.Agents;
using Devana.Domain.Common;

namespace Devana.Domain.UnitTests.Agents;

/// <summary>Agents and actors of one workspace (<c>ws_a</c>) and one stranger from another.</summary>
internal static class AgentFactory
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    public static readonly Actor Owner = new("ws_a", "usr_owner", isWorkspaceAdmin: false);
    public static readonly Actor Member = new("ws_a", "usr_member", isWorkspaceAdmin: false);
    public static readonly Actor Admin = new("ws_a", "usr_admin", isWorkspaceAdmin: true);
    public static readonly Actor Stranger = new("ws_b", "usr_stranger", isWorkspaceAdmin: true);

    public static AgentDefinition Definition(string name = "Support") => new(name);

    public static Agent Create(string? id = null, Actor? owner = null, AgentVisibility visibility = AgentVisibility.Private) =>
        Agent.Create(id, owner ?? Owner, Definition() with { Visibility = visibility }, Now);
}
