using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Agents;
using Devana.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Agents.Common;

/// <summary>
/// Finding one agent for a caller. Agents of other workspaces and deleted agents are 404 (their
/// existence is not disclosed); what the caller may do with a found one is the agent's own rule.
/// </summary>
public static class AgentLookup
{
    /// <summary>The live agent <paramref name="id"/> of the actor's workspace, tracked for changes.</summary>
    /// <exception cref="NotFoundException"><c>agent_not_found</c> (or <paramref name="notFoundCode"/>).</exception>
    public static async Task<Agent> GetAgentAsync(this IApplicationDbContext db, Actor actor, string id, CancellationToken cancellationToken, string notFoundCode = ErrorCodes.AgentNotFound)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        var workspaceId = actor.WorkspaceId;
        var agent = await db.Agents.FirstOrDefaultAsync(a => a.WorkspaceId == workspaceId && a.Id == id && a.DeletedAt == null, cancellationToken);
        return agent ?? throw NotFound(id, notFoundCode);
    }

    /// <summary>
    /// The agent a completion or <c>GET /v1/models/{id}</c> names: 404 <c>model_not_found</c> when it is
    /// unknown here, 403 <c>access_denied</c> when it is private to someone else.
    /// </summary>
    /// <remarks>Read-only: the agent is not tracked, so a later SaveChanges of the same context does not scan it.</remarks>
    public static async Task<Agent> GetUsableAgentAsync(this IApplicationDbContext db, Actor actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        var agent = await FindLiveAgentAsync(db, actor.WorkspaceId, id, cancellationToken);
        agent.EnsureCanBeUsedBy(actor);
        return agent;
    }

    /// <summary>
    /// <see cref="GetUsableAgentAsync(IApplicationDbContext, Actor, string, CancellationToken)"/> through the
    /// settings cache: the agent row is read at most once per cache lifetime; the access rule is checked on
    /// every call. The agent returned is shared: read-only.
    /// </summary>
    public static async Task<Agent> GetUsableAgentAsync(this IApplicationDbContext db, ISettingsCache cache, Actor actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(actor);
        var workspaceId = actor.WorkspaceId;
        var agent = await cache.GetOrLoadAsync($"agent:{workspaceId}:{id}", token => FindLiveAgentAsync(db, workspaceId, id, token), cancellationToken);
        agent.EnsureCanBeUsedBy(actor);
        return agent;
    }

    /// <summary>The live agent, untracked; 404 <c>model_not_found</c> when there is none.</summary>
    private static async Task<Agent> FindLiveAgentAsync(IApplicationDbContext db, string workspaceId, string id, CancellationToken cancellationToken) =>
        await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.WorkspaceId == workspaceId && a.Id == id && a.DeletedAt == null, cancellationToken)
            ?? throw NotFound(id, ErrorCodes.ModelNotFound);

    private static NotFoundException NotFound(string id, string code) => code == ErrorCodes.ModelNotFound
        ? new NotFoundException(code, $"The model '{id}' does not exist or you do not have access to it.", "model")
        : new NotFoundException(code, $"No agent with id '{id}' exists.");
}
