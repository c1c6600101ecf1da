using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Devana.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteDevanaDbContext>
{
    public SqliteDevanaDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteDevanaDbContext>();
        PersistenceSetup.ConfigureProvider(builder, new DatabaseOptions(DatabaseProvider.Sqlite, DatabaseOptions.DefaultConnectionString, false));
        return new SqliteDevanaDbContext(builder.Options);
    }
}

/// <summary>Lets <c>dotnet ef</c> build the SQL Server context without starting the host (no server is contacted).</summary>
internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerDevanaDbContext>
{
    public SqlServerDevanaDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqlServerDevanaDbContext>();
        PersistenceSetup.ConfigureProvider(builder, new DatabaseOptions(DatabaseProvider.SqlServer, "Server=localhost;Database=Devana;Trusted_Connection=True;TrustServerCertificate=True", false));
        return new SqlServerDevanaDbContext(builder.Options);
    }
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context without starting the host (no server is contacted).</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDevanaDbContext>
{
    public PostgresDevanaDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgresDevanaDbContext>();
        PersistenceSetup.ConfigureProvider(builder, new DatabaseOptions(DatabaseProvider.Postgres, "Host=localhost;Database=devana;Username=devana", false));
        return new PostgresDevanaDbContext(builder.Options);
    }
}
