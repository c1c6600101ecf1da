namespace Devana.Domain.Common;

/// <summary>A resource that belongs to the principal that created it, in one workspace: agents, conversations, files.</summary>
public interface IOwned
{
    string Id { get; }

    string WorkspaceId { get; }

    /// <summary>The principal (<c>usr_…</c> or <c>cli_…</c>) that created it.</summary>
    string OwnerId { get; }
}
