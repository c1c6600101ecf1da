using Devana.Application.Llm.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Devana.Api.FunctionalTests.Infrastructure;

/// <summary>
/// The real host over a real SQLite file (the real migrations), one fresh database per factory. Use it
/// as a class fixture; <see cref="ConfigureSettings"/> lets a test class add or override settings.
/// </summary>
public partial class DevanaApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public DevanaApiFactory()
        : this(Path.Combine(Path.GetTempPath(), "devana-tests", Guid.NewGuid().ToString("N")))
    {
    }

    /// <summary>A host over an existing data directory (database and keys), e.g. to restart on the same data.</summary>
    protected DevanaApiFactory(string dataDirectory)
    {
        DataDirectory = dataDirectory;
        Directory.CreateDirectory(DataDirectory);
    }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "devana.db");

    /// <summary>Settings applied to the host; subclasses add to them.</summary>
    protected virtual IDictionary<string, string?> ConfigureSettings() => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Devana"] = $"Data Source={DatabasePath}",
        ["Devana:DataPath"] = DataDirectory,
        ["Devana:Files:StoragePath"] = Path.Combine(DataDirectory, "files"),
        ["Serilog:MinimumLevel:Default"] = "Warning",

        // The catalog every functional test host starts with: echo (the default) and fake-large, whose
        // upstream is never called unless a test class points it at a fake server.
        ["Devana:Llm:DefaultModel"] = "echo",
        ["Devana:Llm:Providers:echo:Type"] = "Echo",
        ["Devana:Llm:Providers:fake:Type"] = "OpenAI",
        ["Devana:Llm:Providers:fake:BaseUrl"] = "http://127.0.0.1:9/v1",
        ["Devana:Llm:Providers:fake:ApiKey"] = "sk-test-never-used",
        ["Devana:Llm:Models:0:Id"] = "echo",
        ["Devana:Llm:Models:0:Provider"] = "echo",
        ["Devana:Llm:Models:0:UpstreamModel"] = "echo",
        ["Devana:Llm:Models:0:ContextWindow"] = "8192",
        ["Devana:Llm:Models:0:MaxOutputTokens"] = "1024",
        ["Devana:Llm:Models:1:Id"] = "fake-large",
        ["Devana:Llm:Models:1:Provider"] = "fake",
        ["Devana:Llm:Models:1:UpstreamModel"] = "gpt-fake-upstream",
        ["Devana:Llm:Models:1:ContextWindow"] = "128000",
        ["Devana:Llm:Models:1:MaxOutputTokens"] = "16384",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
        foreach (var (key, value) in ConfigureSettings())
        {
            builder.UseSetting(key, value);
        }

    }

    public virtual Task InitializeAsync()
    {
        // Starts the host now, so that start-up failures surface in the fixture, not in a test.
        _ = Server;
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the OS temp cleaner; it does not affect other tests.
        }
    }
}
