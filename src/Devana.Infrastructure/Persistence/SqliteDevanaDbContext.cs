using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Devana.Infrastructure.Persistence;

/// <summary>The SQLite flavour of <see cref="DevanaDbContext"/>, with its own migrations under Migrations/Sqlite.</summary>
public sealed class SqliteDevanaDbContext(DbContextOptions<SqliteDevanaDbContext> options) : DevanaDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no offset-aware type and cannot order or compare DateTimeOffset text; store UTC ticks
        // in an integer column so ordering and range queries run in the database.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
