using Devana.Application.Common.Interfaces;
using Devana.Infrastructure.Persistence.Interceptors;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Devana.Infrastructure.Persistence;

/// <summary>
/// Registers the configured provider's context as <see cref="DevanaDbContext"/>, one per scope. Its options
/// are built once (a singleton), and EF Core keeps one set of internal services per set of options, so a
/// context costs little to build. It is not pooled: a stream releases its request's context as soon as its
/// reads are done (<see cref="IApplicationDbContext.ReleaseAsync"/>), and a released context must fail when
/// used again rather than be leased meanwhile to another request. Interceptors registered in DI as
/// <see cref="IInterceptor"/> (singletons) are added to every context.
/// </summary>
public static class PersistenceSetup
{
    public static IServiceCollection AddPersistence(this IServiceCollection services, DatabaseOptions options, Action<DbContextOptionsBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                EnsureSqliteDirectory(options.ConnectionString);
                services.AddDbContext<DevanaDbContext, SqliteDevanaDbContext>((provider, builder) => ConfigureContext(provider, builder, options, configure), ServiceLifetime.Scoped, ServiceLifetime.Singleton);
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContext<DevanaDbContext, SqlServerDevanaDbContext>((provider, builder) => ConfigureContext(provider, builder, options, configure), ServiceLifetime.Scoped, ServiceLifetime.Singleton);
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContext<DevanaDbContext, PostgresDevanaDbContext>((provider, builder) => ConfigureContext(provider, builder, options, configure), ServiceLifetime.Scoped, ServiceLifetime.Singleton);
                break;
            default:
                throw new InvalidOperationException($"Unsupported database provider {options.Provider}.");
        }

        services.AddScoped<IApplicationDbContext>(provider => provider.GetRequiredService<DevanaDbContext>());

        // One writer per process and database for the completion writes: group commit where the database
        // has one writer at a time (SQLite), a transaction per write where it locks rows (GroupCommitWriter).
        services.AddSingleton<IGroupCommit>(provider => new GroupCommitWriter(provider.GetRequiredService<IServiceScopeFactory>(), batches: options.Provider == DatabaseProvider.Sqlite));
        services.AddScoped<DatabaseInitializer>();
        return services;
    }

    /// <summary>The options of the application's contexts, built once.</summary>
    private static void ConfigureContext(IServiceProvider provider, DbContextOptionsBuilder builder, DatabaseOptions options, Action<DbContextOptionsBuilder>? configure)
    {
        ConfigureProvider(builder, options);
        builder.AddInterceptors(provider.GetServices<IInterceptor>());

        // EF Core takes only the logger factory from the application's service provider. Options that carry
        // the provider are copied without it on every context EF Core builds, to look up its internal services
        // (about 2% of the CPU of a completion, once per request): so the options carry the factory instead.
        if (provider.GetService<ILoggerFactory>() is { } loggerFactory)
        {
            builder.UseLoggerFactory(loggerFactory).UseApplicationServiceProvider(null);
        }

        configure?.Invoke(builder);
    }

    /// <summary>Shared by DI and the design-time factories, so that migrations see the same model as the app.</summary>
    internal static void ConfigureProvider(DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        // OpenIddict's applications, authorizations, scopes and tokens live in this database too; their
        // entities are added to the model in DevanaDbContext.OnModelCreating.
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(options.ConnectionString, sqlite => sqlite.MigrationsHistoryTable("__EFMigrationsHistory"));
                builder.AddInterceptors(new SqlitePragmaInterceptor());
                break;
            case DatabaseProvider.SqlServer:
                builder.UseSqlServer(options.ConnectionString, sql => sql.EnableRetryOnFailure(3));
                break;
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(options.ConnectionString, npgsql => npgsql.EnableRetryOnFailure(3));
                break;
            default:
                throw new InvalidOperationException($"Unsupported database provider {options.Provider}.");
        }
    }

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
