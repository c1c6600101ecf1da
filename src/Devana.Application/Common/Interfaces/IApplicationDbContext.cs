using Devana.Domain.Agents;
using Devana.Domain.Conversations;
using Devana.Domain.Clients;
using Devana.Domain.Files;
using Devana.Domain.Quotas;
using Devana.Domain.Usage;
using Devana.Domain.Users;
using Devana.Domain.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Common.Interfaces;

/// <summary>
/// The unit of work handlers use. Each feature adds its <c>DbSet</c>s here; Infrastructure's
/// <c>DevanaDbContext</c> implements it.
/// </summary>
public interface IApplicationDbContext
{
    /// <summary>Every agent, soft-deleted ones included: filter on <see cref="Agent.DeletedAt"/> (see <c>AgentLookup</c>).</summary>
    DbSet<Agent> Agents { get; }

    DbSet<Conversation> Conversations { get; }

    DbSet<Message> Messages { get; }

    DbSet<Workspace> Workspaces { get; }

    DbSet<User> Users { get; }

    DbSet<ApiClient> ApiClients { get; }

    DbSet<StoredFile> Files { get; }

    DbSet<FileChunk> FileChunks { get; }

    /// <summary>Stored quotas. Usage counters are not here: they change only through <c>IQuotaCounterStore</c>.</summary>
    DbSet<Quota> Quotas { get; }

    /// <summary>The usage ledger: one row per completion.</summary>
    DbSet<UsageRecord> UsageRecords { get; }

    /// <summary>The reservations of running completions, with their expiry (see <c>QuotaGate</c> and <c>QuotaHoldKeeper</c>).</summary>
    DbSet<QuotaHold> QuotaHolds { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>Rows written at once with prepared statements, in this context's current transaction, outside the change tracker (the completion writes).</summary>
    IRowWriter Rows { get; }

    /// <summary>
    /// Runs <paramref name="work"/> in one database transaction: committed when it returns, rolled back
    /// when it throws. Everything written inside it — <c>SaveChangesAsync</c> and the quota counters — is
    /// stored together or not at all, with one commit. Inside a transaction already open, it joins that one.
    /// </summary>
    Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Ends this context before its scope does, for a response that outlives its reads (a stream): its
    /// connection, tracked entities and internal services go now rather than when the response ends. Any
    /// later use of it throws <see cref="ObjectDisposedException"/>; the scope's own disposal then does nothing.
    /// </summary>
    ValueTask ReleaseAsync();
}
