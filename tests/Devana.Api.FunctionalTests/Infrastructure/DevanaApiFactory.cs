using Devana.Application.Llm;
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
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "devana-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
    }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "devana.db");

    /// <summary>Settings applied to the host; subclasses add to them.</summary>
    protected virtual IDictionary<string, string?> ConfigureSettings() => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Devana"] = $"Data Source={DatabasePath}",
        ["Devana:DataPath"] = DataDirectory,
        ["Serilog:MinimumLevel:Default"] = "Warning",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
        foreach (var (key, value) in ConfigureSettings())
        {
            builder.UseSetting(key, value);
        }

        // Until the real tokenizer is registered by the app, a word counter stands in (TryAdd: the real one wins).
        builder.ConfigureTestServices(services => services.TryAddSingleton<ITokenCounter, WordTokenCounter>());
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
