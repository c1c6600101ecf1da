using System.Collections.Concurrent;
using Devana.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Devana.Infrastructure.IntegrationTests.Persistence;

/// <summary>The same tests on each provider: SQLite and PostgreSQL always, SQL Server where Docker runs.</summary>
public abstract class DatabaseTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : DatabaseFixture
{
    protected TFixture Fixture { get; } = fixture;

    [SkippableFact]
    public async Task Migrations_AfterStartup_AreAllApplied()
    {
        await using var scope = Fixture.CreateScope();
        var context = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();

        (await context.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
        (await context.Database.GetAppliedMigrationsAsync()).Should().NotBeEmpty();
    }

    [SkippableFact]
    public async Task Context_LogsThroughTheApplicationsLoggerFactory_WithoutCarryingItsServiceProvider()
    {
        Skip.If(Fixture.SkipReason is not null, Fixture.SkipReason);
        var categories = new ConcurrentQueue<string>();
        await using var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Information).AddProvider(new CategoryRecorder(categories)))
            .AddPersistence(Fixture.Options)
            .BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();

        // Options carrying the application's provider would be copied on every context EF Core builds.
        var core = context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()!;
        core.ApplicationServiceProvider.Should().BeNull();
        core.LoggerFactory.Should().BeSameAs(services.GetRequiredService<ILoggerFactory>());

        await context.Database.ExecuteSqlRawAsync("SELECT 1");
        categories.Should().Contain(DbLoggerCategory.Database.Command.Name);
    }

    private sealed class CategoryRecorder(ConcurrentQueue<string> categories) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, categories);

        public void Dispose()
        {
        }

        private sealed class Recorder(string category, ConcurrentQueue<string> categories) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                categories.Enqueue(category);
        }
    }

    [SkippableFact]
    public async Task Initializer_RunTwice_IsIdempotent()
    {
        await using var scope = Fixture.CreateScope();
        var initializer = scope.ServiceProvider.GetRequiredService<DatabaseInitializer>();

        (await initializer.InitializeAsync(CancellationToken.None)).Should().BeTrue();
        (await initializer.InitializeAsync(CancellationToken.None)).Should().BeTrue();
    }

    [SkippableFact]
    public async Task HealthCheck_WhenMigrated_IsHealthy()
    {
        await using var scope = Fixture.CreateScope();
        var check = new DatabaseHealthCheck(scope.ServiceProvider.GetRequiredService<DevanaDbContext>());

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        result.Status.Should().Be(HealthStatus.Healthy, result.Description);
    }

    [SkippableFact]
    public async Task DataProtectionKeys_KeptInTheDatabase_AreSharedByTwoHosts()
    {
        await using (Fixture.CreateScope())
        {
            // Skips here where the database cannot run.
        }

        ServiceProvider Host() => new ServiceCollection().AddLogging().AddPersistence(Fixture.Options)
            .AddDataProtection().SetApplicationName("devana-tests-" + Fixture.GetHashCode()).PersistKeysToDbContext<DevanaDbContext>().Services
            .BuildServiceProvider();
        await using var first = Host();
        await using var second = Host();

        var protectedText = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("a cookie");
        var unprotected = second.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText);

        unprotected.Should().Be("a cookie");
        await using var scope = Fixture.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<DevanaDbContext>().DataProtectionKeys.CountAsync()).Should().BeGreaterThan(0);
    }

    [SkippableFact]
    public async Task Context_IsTheConfiguredProvidersFlavour()
    {
        await using var scope = Fixture.CreateScope();
        var context = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();

        context.Should().BeOfType(Fixture.Options.Provider switch
        {
            DatabaseProvider.Sqlite => typeof(SqliteDevanaDbContext),
            DatabaseProvider.SqlServer => typeof(SqlServerDevanaDbContext),
            _ => typeof(PostgresDevanaDbContext),
        });
    }
}

public sealed class SqliteDatabaseTests(SqliteDatabaseFixture fixture) : DatabaseTests<SqliteDatabaseFixture>(fixture)
{
    [Fact]
    public async Task Connection_IsInWalModeWithABusyTimeoutAndTemporaryStorageInMemory()
    {
        await using var scope = Fixture.CreateScope();
        var context = scope.ServiceProvider.GetRequiredService<DevanaDbContext>();
        await context.Database.OpenConnectionAsync();
        var connection = context.Database.GetDbConnection();

        await using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode;";
        (await mode.ExecuteScalarAsync()).Should().Be("wal");

        await using var timeout = connection.CreateCommand();
        timeout.CommandText = "PRAGMA busy_timeout;";
        Convert.ToInt64(await timeout.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(0);

        // 2 = MEMORY: the savepoints' journals of a group-commit batch stay off the disk.
        await using var temp = connection.CreateCommand();
        temp.CommandText = "PRAGMA temp_store;";
        Convert.ToInt64(await temp.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture).Should().Be(2);
    }

    [Fact]
    public async Task TwoConnections_WritingAtOnce_BothSucceed()
    {
        await using (var setup = Fixture.CreateScope())
        {
            await setup.ServiceProvider.GetRequiredService<DevanaDbContext>().Database
                .ExecuteSqlRawAsync("CREATE TABLE IF NOT EXISTS concurrency_probe (n INTEGER NOT NULL);");
        }

        async Task WriteAsync()
        {
            for (var i = 0; i < 50; i++)
            {
                await using var scope = Fixture.CreateScope();
                await scope.ServiceProvider.GetRequiredService<DevanaDbContext>().Database
                    .ExecuteSqlRawAsync("INSERT INTO concurrency_probe (n) VALUES ({0});", i);
            }
        }

        await Task.WhenAll(Task.Run(WriteAsync), Task.Run(WriteAsync));

        await using var check = Fixture.CreateScope();
        var count = await check.ServiceProvider.GetRequiredService<DevanaDbContext>().Database
            .SqlQueryRaw<int>("SELECT COUNT(*) AS Value FROM concurrency_probe").SingleAsync();
        count.Should().Be(100);
    }
}

public sealed class SqlServerDatabaseTests(SqlServerDatabaseFixture fixture) : DatabaseTests<SqlServerDatabaseFixture>(fixture);

public sealed class PostgresDatabaseTests(PostgresDatabaseFixture fixture) : DatabaseTests<PostgresDatabaseFixture>(fixture);
