using Devana.Application.Common.Access;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Conversations;

namespace Devana.Application.Conversations.Common;

/// <summary>Conversations as a caller may see them: <see cref="Conversation.MayBeReadByItsOwnerOrAWorkspaceAdmin"/>.</summary>
internal static class ConversationAccess
{
    public static IQueryable<Conversation> VisibleTo(this IQueryable<Conversation> conversations, ICurrentPrincipal caller) =>
        conversations.AllowedBy(Conversation.MayBeReadByItsOwnerOrAWorkspaceAdmin, caller);

    /// <summary>The conversation, or 404 <c>conversation_not_found</c> (others' are not disclosed).</summary>
    public static Task<Conversation> FindVisibleAsync(this IQueryable<Conversation> conversations, ICurrentPrincipal caller, string id, CancellationToken cancellationToken) =>
        conversations.FindAllowedAsync(Conversation.MayBeReadByItsOwnerOrAWorkspaceAdmin, caller, id, NotFound, cancellationToken);

    public static NotFoundException NotFound(string id) =>
        new(ErrorCodes.ConversationNotFound, $"No conversation '{id}' exists for this caller.", "conversation_id");
}
