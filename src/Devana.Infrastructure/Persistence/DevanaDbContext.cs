using Devana.Application.Common.Interfaces;
using Devana.Domain.Conversations;
using Devana.Domain.Files;
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

    public DbSet<Conversation> Conversations => Set<Conversation>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<StoredFile> Files => Set<StoredFile>();

    public DbSet<FileChunk> FileChunks => Set<FileChunk>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DevanaDbContext).Assembly, t => t.Namespace?.StartsWith("Devana.Infrastructure", StringComparison.Ordinal) == true);
    }
}
