using Devana.Application;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Security;
using Devana.Application.Files.Common;
using Devana.Application.Files.UploadFile;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.Files;
using Devana.Infrastructure.Persistence;
using MediatR;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Devana.Infrastructure.IntegrationTests.Files;

/// <summary>
/// The Application's file use cases over the real Infrastructure (SQLite through the real migrations,
/// the local storage, extraction, chunking and BM25), with a word-counting tokenizer and a caller the test
/// chooses. Chunks are small (20 tokens, 5 of overlap) so that small texts make many of them.
/// </summary>
public sealed class FilesFixture : IAsyncLifetime
{
    public const int ChunkTokens = 20;
    public const int OverlapTokens = 5;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "devana-files-tests", Guid.NewGuid().ToString("N"));
    private ServiceProvider _services = null!;

    public string StoragePath => Path.Combine(_directory, "files");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Devana:Files:StoragePath"] = StoragePath,
            ["Devana:Files:ChunkTokens"] = ChunkTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Devana:Files:ChunkOverlapTokens"] = OverlapTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var database = new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(_directory, "devana.db")}", true);
        _services = new ServiceCollection()
            .AddLogging()
            .AddPersistence(database)
            .AddApplication()
            .AddSingleton<IConfiguration>(configuration)
            .AddFileServices()
            .AddSingleton<ITokenCounter, WordTokenCounter>()
            .AddScoped<TestPrincipal>()
            .AddScoped<ICurrentPrincipal>(provider => provider.GetRequiredService<TestPrincipal>())
            // Not validated on build: this host registers only the files slice of Application's handlers'
            // dependencies (no LLM catalog, no identity); the functional tests validate the whole host.
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true });
        await using var scope = _services.CreateAsyncScope();
        var migrated = await new DatabaseInitializer(scope.ServiceProvider.GetRequiredService<DevanaDbContext>(), database, NullLogger<DatabaseInitializer>.Instance)
            .InitializeAsync(CancellationToken.None);
        migrated.Should().BeTrue();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A scope (a request) of <paramref name="principalId"/> in <paramref name="workspaceId"/>.</summary>
    public AsyncServiceScope ScopeOf(string workspaceId, string principalId)
    {
        var scope = _services.CreateAsyncScope();
        var principal = scope.ServiceProvider.GetRequiredService<TestPrincipal>();
        principal.WorkspaceId = workspaceId;
        principal.PrincipalId = principalId;
        return scope;
    }

    public async Task<FileDto> UploadAsync(string workspaceId, string principalId, string filename, byte[] content)
    {
        await using var scope = ScopeOf(workspaceId, principalId);
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new UploadFileCommand(filename, null, new MemoryStream(content)));
    }

    public sealed class TestPrincipal : ICurrentPrincipal
    {
        public bool IsAuthenticated => true;

        public string WorkspaceId { get; set; } = "ws_test";

        public string PrincipalId { get; set; } = "usr_test";

        public PrincipalKind Kind => PrincipalKind.User;

        public IReadOnlySet<string> Scopes { get; } = new HashSet<string>(Application.Common.Security.Scopes.All);

        public bool IsWorkspaceAdmin => false;
    }
}
