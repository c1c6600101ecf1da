using Devana.Application.Common.Interfaces;
using Devana.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// What a completion changes in its conversation, for the writer's context: the conversation is read
/// untracked, changed by the domain, and its changes are written by another context (the writer's). Taken
/// before the change (<see cref="Before"/>), it knows what is new after it: the messages past the last
/// sequence (added), the turns that were pending and no longer are (updated), and the conversation's own
/// columns that a turn or an answer moves — with the sequence it was read at as the concurrency token, so
/// that of two turns that read the same conversation only one is stored.
/// </summary>
internal sealed class ConversationChanges
{
    /// <summary>The field the conversation's metadata is mapped through (see its configuration).</summary>
    private const string MetadataProperty = "_metadata";

    /// <summary>What settles a pending turn (<see cref="Message"/>: completed, answered by a tool step, or failed).</summary>
    private static readonly string[] s_settled = [nameof(Message.Status), nameof(Message.Content), nameof(Message.Error)];

    private readonly Conversation _conversation;
    private readonly bool _isNew;
    private readonly int _lastSequence;
    private readonly string _title;
    private readonly IReadOnlyDictionary<string, string> _metadata;
    private readonly List<Message> _pending;

    private ConversationChanges(Conversation conversation, bool isNew)
    {
        _conversation = conversation;
        _isNew = isNew;
        _lastSequence = conversation.LastSequence;
        _title = conversation.Title;
        _metadata = conversation.Metadata;
        _pending = conversation.Messages.Where(m => m.Status == MessageStatus.Pending).ToList();
    }

    /// <summary>Taken before the domain changes <paramref name="conversation"/>; <paramref name="isNew"/> when it is not stored yet.</summary>
    public static ConversationChanges Before(Conversation conversation, bool isNew) => new(conversation, isNew);

    /// <summary>
    /// Writes the changes made since <see cref="Before"/> in the unit's transaction: a new conversation with its
    /// messages; else the conversation's moved columns (only if it is still at the sequence it was read at),
    /// the new messages, and the status, content and error of the turns that were pending.
    /// </summary>
    /// <exception cref="DbUpdateConcurrencyException">Another turn of the conversation was stored since it was read; nothing of this one is kept (the caller's savepoint or transaction rolls back).</exception>
    public async Task ApplyAsync(IWriteUnit unit, CancellationToken cancellationToken)
    {
        var rows = unit.Db.Rows;
        if (_isNew)
        {
            await rows.InsertAsync(_conversation, cancellationToken);
            foreach (var message in _conversation.Messages)
            {
                await rows.InsertAsync(message, cancellationToken);
            }

            return;
        }

        var moved = new List<string>(5) { nameof(Conversation.LastSequence), nameof(Conversation.MessageCount), nameof(Conversation.UpdatedAt) };
        if (!string.Equals(_title, _conversation.Title, StringComparison.Ordinal))
        {
            moved.Add(nameof(Conversation.Title));
        }

        if (!ReferenceEquals(_metadata, _conversation.Metadata))
        {
            moved.Add(MetadataProperty);
        }

        await rows.UpdateAsync(_conversation, moved, new ConcurrencyCheck(nameof(Conversation.LastSequence), _lastSequence), cancellationToken);
        foreach (var message in _conversation.Messages)
        {
            if (message.Sequence > _lastSequence)
            {
                await rows.InsertAsync(message, cancellationToken);
            }
            else if (message.Status != MessageStatus.Pending && _pending.Contains(message))
            {
                await rows.UpdateAsync(message, s_settled, null, cancellationToken);
            }
        }
    }
}
