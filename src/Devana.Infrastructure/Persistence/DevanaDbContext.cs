using Devana.Application.Common.Interfaces;
using Devana.Domain.Agents;
using Devana.Domain.Conversations;
using Devana.Domain.Quotas;
using Devana.Domain.Usage;
using Microsoft.EntityFrameworkCore;

namespace Devana.Infrastructure.Persistence;

/// <summary>
/// The one database of Devana. It is abstract because each provider has its own migration set (as EF
/// Core recommends for several providers): <see cref="SqliteDevanaDbContext"/> and
/// <see cref="SqlServerDevanaDbContext"/>; DI serves the configured one as <c>DevanaDbContext</c>.
/// </summary>
/// <remarks>
/// Add a migration to both sets after a model change:
/// <code>
/// dotnet ef migrations add NAME -p src/Devana.Infrastructure -s src/Devana.Infrastructure -c SqliteDevanaDbContext -o Persistence/Migrations/Sqlite
/// dotnet ef migrations add NAME -p src/Devana.Infrastructure -s src/Devana.Infrastructure -c SqlServerDevanaDbContext -o Persistence/Migrations/SqlServer
/// </code>
/// (the design-time factories in this folder build each context without starting the host).
/// </remarks>
public abstract class DevanaDbContext : DbContext, IApplicationDbContext
{
    protected DevanaDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Agent> Agents => Set<Agent>();

    public DbSet<Conversation> Conversations => Set<Conversation>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<Quota> Quotas => Set<Quota>();

    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DevanaDbContext).Assembly, t => t.Namespace?.StartsWith("Devana.Infrastructure", StringComparison.Ordinal) == true);
    }
}
