using Devana.Application.Common.Interfaces;
using Devana.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Conversations.Common;

/// <summary>
/// Changes to a conversation that are not turns (a new title, metadata, deletion). A turn stored between
/// the read and the write moves the conversation's concurrency token (<see cref="Conversation.LastSequence"/>);
/// such a change does not conflict with a turn, so it is applied again to the conversation as it now is.
/// </summary>
internal static class ConversationWrites
{
    private const int Attempts = 3;

    public static async Task SaveChangeAsync(this IApplicationDbContext db, Conversation conversation, Action<Conversation> change, CancellationToken cancellationToken)
    {
        change(conversation);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateConcurrencyException conflict) when (attempt < Attempts)
            {
                foreach (var entry in conflict.Entries)
                {
                    await entry.ReloadAsync(cancellationToken);
                }

                change(conversation);
            }
        }
    }
}
