using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Conversations.Common;

/// <summary>What a caller may see of conversations: its own, or all of its workspace's for an admin.</summary>
internal static class ConversationAccess
{
    public static IQueryable<Conversation> VisibleTo(this IQueryable<Conversation> conversations, ICurrentPrincipal caller)
    {
        var workspaceId = caller.WorkspaceId;
        var principalId = caller.PrincipalId;
        var query = conversations.Where(c => c.WorkspaceId == workspaceId && c.DeletedAt == null);
        return caller.IsWorkspaceAdmin ? query : query.Where(c => c.OwnerId == principalId);
    }

    /// <summary>The conversation, or 404 <c>conversation_not_found</c> (others' are not disclosed).</summary>
    public static async Task<Conversation> FindVisibleAsync(this IQueryable<Conversation> conversations, ICurrentPrincipal caller, string id, CancellationToken cancellationToken) =>
        await conversations.VisibleTo(caller).FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
        ?? throw NotFound(id);

    public static NotFoundException NotFound(string id) =>
        new(ErrorCodes.ConversationNotFound, $"No conversation '{id}' exists for this caller.", "conversation_id");
}
