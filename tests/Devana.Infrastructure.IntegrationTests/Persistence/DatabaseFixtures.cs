using Devana.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Devana.Testing;
using Testcontainers.MsSql;

namespace Devana.Infrastructure.IntegrationTests.Persistence;

/// <summary>A real database, migrated with the real migrations, for one test class.</summary>
public abstract class DatabaseFixture : IAsyncLifetime
{
    private ServiceProvider? _services;

    /// <summary>Null when the database can run here; otherwise why the tests skip.</summary>
    public virtual string? SkipReason => null;

    public DatabaseOptions Options { get; private set; } = null!;

    protected abstract Task<DatabaseOptions> StartAsync();

    protected virtual Task StopAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        Options = await StartAsync();
        _services = new ServiceCollection().AddLogging().AddPersistence(Options).BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        var migrated = await new DatabaseInitializer(scope.ServiceProvider.GetRequiredService<DevanaDbContext>(), Options, NullLogger<DatabaseInitializer>.Instance)
            .InitializeAsync(CancellationToken.None);
        if (!migrated)
        {
            throw new InvalidOperationException($"Migrating {Options.RedactedConnectionString} failed.");
        }
    }

    /// <summary>A scope of its own (a context of its own), as each request has.</summary>
    public AsyncServiceScope CreateScope()
    {
        Skip.If(SkipReason is not null, SkipReason);
        return _services!.CreateAsyncScope();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await StopAsync();
    }
}

public sealed class SqliteDatabaseFixture : DatabaseFixture
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "devana-db-tests", Guid.NewGuid().ToString("N"));

    public string FilePath => Path.Combine(_directory, "devana.db");

    protected override Task<DatabaseOptions> StartAsync() =>
        Task.FromResult(new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={FilePath}", true));

    protected override Task StopAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }
}

public sealed class SqlServerDatabaseFixture : DatabaseFixture
{
    // Pinned so that runs are reproducible.
    private const string Image = "mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04";
    private MsSqlContainer? _container;

    public override string? SkipReason => DockerAvailability.IsAvailable ? null : DockerAvailability.SkipReason;

    protected override async Task<DatabaseOptions> StartAsync()
    {
        _container = new MsSqlBuilder(Image).Build();
        await _container.StartAsync();
        return new DatabaseOptions(DatabaseProvider.SqlServer, _container.GetConnectionString(), true);
    }

    protected override async Task StopAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}

/// <summary>A database of its own on the test process's PostgreSQL server (<see cref="PostgresServer"/>).</summary>
public sealed class PostgresDatabaseFixture : DatabaseFixture
{
    public override string? SkipReason => PostgresServer.SkipReason;

    protected override async Task<DatabaseOptions> StartAsync()
    {
        var server = await PostgresServer.GetAsync();
        return new DatabaseOptions(DatabaseProvider.Postgres, await server.CreateDatabaseAsync(), true);
    }
}
