namespace Devana.Domain.Common;

/// <summary>The ownership rules, stated once for every <see cref="IOwned"/> resource.</summary>
public static class Ownership<T>
    where T : class, IOwned
{
    /// <summary>Its owner alone, in its workspace (files; continuing a conversation).</summary>
    public static readonly AccessRule<T> Owner = new((resource, actor) =>
        resource.WorkspaceId == actor.WorkspaceId && resource.OwnerId == actor.PrincipalId);

    /// <summary>Its owner, or an admin of its workspace (reading a conversation; changing an agent).</summary>
    public static readonly AccessRule<T> OwnerOrWorkspaceAdmin = new((resource, actor) =>
        resource.WorkspaceId == actor.WorkspaceId && (resource.OwnerId == actor.PrincipalId || actor.IsWorkspaceAdmin));
}
