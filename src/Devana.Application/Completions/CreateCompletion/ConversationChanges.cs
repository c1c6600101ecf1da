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

    /// <summary>Marks the changes made since <see cref="Before"/> in the unit's context, to be saved with it.</summary>
    public void Apply(IWriteUnit unit)
    {
        if (_isNew)
        {
            unit.Db.Conversations.Add(_conversation);
            return;
        }

        var conversation = unit.Entry(_conversation);
        conversation.State = EntityState.Unchanged;
        conversation.Property(c => c.LastSequence).OriginalValue = _lastSequence;
        conversation.Property(c => c.LastSequence).IsModified = true;
        conversation.Property(c => c.MessageCount).IsModified = true;
        conversation.Property(c => c.UpdatedAt).IsModified = true;
        if (!string.Equals(_title, _conversation.Title, StringComparison.Ordinal))
        {
            conversation.Property(c => c.Title).IsModified = true;
        }

        if (!ReferenceEquals(_metadata, _conversation.Metadata))
        {
            conversation.Property("_metadata").IsModified = true;
        }

        foreach (var message in _conversation.Messages)
        {
            if (message.Sequence > _lastSequence)
            {
                unit.Db.Messages.Add(message);
            }
            else if (message.Status != MessageStatus.Pending && _pending.Contains(message))
            {
                unit.Db.Messages.Update(message);
            }
        }
    }
}
