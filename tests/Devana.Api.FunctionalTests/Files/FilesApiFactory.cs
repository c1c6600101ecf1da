using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Application.Llm.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Api.FunctionalTests.Files;

/// <summary>The real host with a small file limit, storage in the test's folder and a word-counting tokenizer.</summary>
public sealed class FilesApiFactory : DevanaApiFactory
{
    public const long MaxBytes = 200_000;

    public string StoragePath => Path.Combine(DataDirectory, "files");

    /// <summary>Every object the storage holds (the fan-out folders hold one file per upload).</summary>
    public IReadOnlyList<string> StoredObjects() =>
        Directory.Exists(StoragePath) ? Directory.GetFiles(StoragePath, "*", SearchOption.AllDirectories) : [];

    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["Devana:Files:StoragePath"] = StoragePath;
        settings["Devana:Files:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Devana:Files:ChunkTokens"] = "50";
        settings["Devana:Files:ChunkOverlapTokens"] = "10";
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ITokenCounter, WordTokenCounter>());
    }
}
