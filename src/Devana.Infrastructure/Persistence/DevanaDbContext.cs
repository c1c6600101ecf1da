using System.Data.Common;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Agents;
using Devana.Domain.Conversations;
using Devana.Domain.Clients;
using Devana.Domain.Files;
using Devana.Domain.Quotas;
using Devana.Domain.Usage;
using Devana.Domain.Users;
using Devana.Domain.Workspaces;
using Devana.Infrastructure.Quotas;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Devana.Infrastructure.Persistence;

/// <summary>
/// The one database of Devana. It is abstract because each provider has its own migration set (as EF
/// Core recommends for several providers): <see cref="SqliteDevanaDbContext"/> and
/// <see cref="SqlServerDevanaDbContext"/> and <see cref="PostgresDevanaDbContext"/>; DI serves the configured one as <c>DevanaDbContext</c>.
/// </summary>
/// <remarks>
/// Add a migration to every set after a model change:
/// <code>
/// dotnet ef migrations add NAME -p src/Devana.Infrastructure -s src/Devana.Infrastructure -c SqliteDevanaDbContext -o Persistence/Migrations/Sqlite
/// dotnet ef migrations add NAME -p src/Devana.Infrastructure -s src/Devana.Infrastructure -c SqlServerDevanaDbContext -o Persistence/Migrations/SqlServer
/// dotnet ef migrations add NAME -p src/Devana.Infrastructure -s src/Devana.Infrastructure -c PostgresDevanaDbContext -o Persistence/Migrations/Postgres
/// </code>
/// (the design-time factories in this folder build each context without starting the host).
/// The same context holds OpenIddict's tables (<c>modelBuilder.UseOpenIddict()</c> in
/// <see cref="OnModelCreating"/>) and the ASP.NET Core Data Protection key ring, so that every
/// instance sharing the database shares the keys that protect cookies and antiforgery tokens.
/// </remarks>
public abstract class DevanaDbContext : DbContext, IApplicationDbContext, IDataProtectionKeyContext
{
    private RowWriter? _rows;
    private PreparedCommands? _commands;

    protected DevanaDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Agent> Agents => Set<Agent>();

    public DbSet<Conversation> Conversations => Set<Conversation>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<Workspace> Workspaces => Set<Workspace>();

    public DbSet<User> Users => Set<User>();

    public DbSet<ApiClient> ApiClients => Set<ApiClient>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<StoredFile> Files => Set<StoredFile>();

    public DbSet<FileChunk> FileChunks => Set<FileChunk>();

    public DbSet<Quota> Quotas => Set<Quota>();

    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();

    public DbSet<QuotaHold> QuotaHolds => Set<QuotaHold>();

    /// <summary>This provider's SQL for the quota counters.</summary>
    internal abstract QuotaCounterSql CounterSql { get; }

    /// <inheritdoc/>
    public virtual Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Database.CurrentTransaction is not null)
        {
            return work(cancellationToken);
        }

        // A retrying execution strategy (SQL Server, PostgreSQL) runs the whole transaction again on a transient failure.
        return Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            await using var transaction = await Database.BeginTransactionAsync(token);

            // A failure anywhere rolls the whole transaction back, so SaveChanges needs no savepoint of its own
            // (EF Core would otherwise write SAVEPOINT / RELEASE around every SaveChanges in it).
            var savepoints = Database.AutoSavepointsEnabled;
            Database.AutoSavepointsEnabled = false;
            try
            {
                var result = await work(token);
                await transaction.CommitAsync(token);
                return result;
            }
            finally
            {
                Database.AutoSavepointsEnabled = savepoints;
            }
        }, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>The context is not pooled (<see cref="PersistenceSetup"/>), so this is its disposal, done early.</remarks>
    public ValueTask ReleaseAsync() => DisposeAsync();

    /// <inheritdoc/>
    /// <remarks>One per context, made on first use; it runs its statements with <see cref="Command"/>.</remarks>
    public IRowWriter Rows => _rows ??= new RowWriter(this);

    /// <summary>
    /// The kept command for <paramref name="sql"/>, one of those the write path runs again and again (kept, and
    /// prepared, for this context's life: <see cref="PreparedCommands"/>): on the context's connection, in its current
    /// transaction if it has one, with its command timeout, and with no parameters yet.
    /// </summary>
    internal DbCommand Command(string sql) =>
        (_commands ??= new PreparedCommands()).For(Database.GetDbConnection(), Database.CurrentTransaction?.GetDbTransaction(), sql, Database.GetCommandTimeout());

    public override void Dispose()
    {
        DisposeCommands();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        DisposeCommands();
        return base.DisposeAsync();
    }

    private void DisposeCommands()
    {
        _commands?.Dispose();
        _commands = null;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        base.OnModelCreating(modelBuilder);

        // OpenIddict's entities, added here rather than with the options' UseOpenIddict(), which replaces an
        // EF Core service: EF Core then looks up its internal services with options rebuilt and compared on
        // every construction of a context, once per request (in the profile at concurrency 64, building a
        // context fell from 2.8% to 2.1% of the CPU; docs/performance.md, seventh session).
        modelBuilder.UseOpenIddict();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DevanaDbContext).Assembly, t => t.Namespace?.StartsWith("Devana.Infrastructure", StringComparison.Ordinal) == true);
    }
}
