namespace Devana.Domain.Conversations;

/// <summary>
/// A user turn is <see cref="Pending"/> while its answer is being produced, <see cref="Completed"/> once
/// answered, and <see cref="Failed"/> when the LLM call failed: failed turns are kept for the record but
/// never replayed as history.
/// </summary>
public enum MessageStatus
{
    Pending,
    Completed,
    Failed,
}
