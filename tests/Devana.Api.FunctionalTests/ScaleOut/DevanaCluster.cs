using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Testing;

namespace Devana.Api.FunctionalTests.ScaleOut;

/// <summary>
/// Several Devana processes on one database, configured as a deployment would be: the same signing and
/// encryption certificates, the same public issuer, the same bootstrap, the same LLM catalog (a fake
/// OpenAI-compatible upstream in this test process). The app is published once per test run.
/// </summary>
public abstract class DevanaCluster : IAsyncLifetime
{
    public const string ClientId = "scaleout-client";
    public const string ClientSecret = "scaleout-client-secret-0123456789";
    public const string Issuer = "http://devana.scaleout.test/";

    /// <summary>The host name clients use, as a reverse proxy that keeps the <c>Host</c> header passes it to every instance.</summary>
    public const string PublicHost = "devana.scaleout.test";

    /// <summary>E, generous on purpose: renewals must never be late enough to lose a live hold on a loaded machine.</summary>
    public const int ReservationExpirySeconds = 20;

    public const int TokenEntryCacheSeconds = 2;
    public const int SettingsCacheSeconds = 2;

    private static readonly SemaphoreSlim s_publishGate = new(1, 1);
    private static string? s_published;

    private readonly List<DevanaProcess> _instances = [];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "devana-scaleout", Guid.NewGuid().ToString("N"));
    private Dictionary<string, string> _environment = [];
    private string _provider = string.Empty;
    private string _connectionString = string.Empty;

    public FakeOpenAiUpstream Upstream { get; private set; } = null!;

    public IReadOnlyList<DevanaProcess> Instances => _instances;

    /// <summary>How many instances start with the cluster.</summary>
    protected abstract int InitialInstances { get; }

    /// <summary>Null when the database can run here; otherwise why the tests skip.</summary>
    public virtual string? SkipReason => null;

    protected abstract Task<(string Provider, string ConnectionString)> DatabaseAsync(string directory);

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        Directory.CreateDirectory(_directory);
        var dll = await PublishAsync();
        Upstream = await FakeOpenAiUpstream.StartAsync();
        (_provider, _connectionString) = await DatabaseAsync(_directory);
        _environment = Environment(_provider, _connectionString);

        // The first instance migrates and bootstraps; the others then start on a ready database.
        for (var i = 0; i < InitialInstances; i++)
        {
            await StartInstanceAsync();
        }
    }

    /// <summary>Another instance on the same database (stopped with the cluster), with <paramref name="overrides"/> on top of the shared settings.</summary>
    public async Task<DevanaProcess> StartInstanceAsync(IReadOnlyDictionary<string, string>? overrides = null)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var environment = new Dictionary<string, string>(_environment);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var instance = await DevanaProcess.StartAsync($"devana-{_instances.Count}", s_published!, environment);
        _instances.Add(instance);
        return instance;
    }

    /// <summary>A client-credentials token of the bootstrap client (every API scope), issued by <paramref name="instance"/>.</summary>
    public static async Task<string> TokenFromAsync(DevanaProcess instance)
    {
        var token = await OAuth.ClientCredentialsAsync(instance.Client, ClientId, ClientSecret);
        return token.RequireAccessToken();
    }

    /// <summary>A client on <paramref name="instance"/> that sends <paramref name="accessToken"/>.</summary>
    public static HttpClient Bearer(DevanaProcess instance, string accessToken)
    {
        var client = new HttpClient { BaseAddress = instance.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Host = PublicHost;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>One number read straight from the shared database (what no API shows, like the holds table).</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using System.Data.Common.DbConnection connection = _provider == "Postgres"
            ? new Npgsql.NpgsqlConnection(_connectionString)
            : new Microsoft.Data.Sqlite.SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A killed instance may still hold a file a moment; the temp directory is cleaned by the OS.
        }
    }

    private Dictionary<string, string> Environment(string provider, string connectionString)
    {
        var password = Guid.NewGuid().ToString("N");
        var signing = WriteCertificate("signing", X509KeyUsageFlags.DigitalSignature, password);
        var encryption = WriteCertificate("encryption", X509KeyUsageFlags.KeyEncipherment, password);
        var files = Path.Combine(_directory, "files");
        Directory.CreateDirectory(files);
        return new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_TieredPGO"] = "0",
            ["Devana__Database__Provider"] = provider,
            ["ConnectionStrings__Devana"] = connectionString,
            ["Devana__DataPath"] = _directory,
            ["Devana__Files__StoragePath"] = files,
            ["Devana__Identity__Issuer"] = Issuer,
            ["Devana__Identity__AllowInsecureHttp"] = "true",
            ["Devana__Identity__SigningCertificate__Path"] = signing,
            ["Devana__Identity__SigningCertificate__Password"] = password,
            ["Devana__Identity__EncryptionCertificate__Path"] = encryption,
            ["Devana__Identity__EncryptionCertificate__Password"] = password,
            ["Devana__Identity__TokenEntryCacheSeconds"] = TokenEntryCacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Devana__Cache__SettingsSeconds"] = SettingsCacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Devana__Quotas__ReservationExpirySeconds"] = ReservationExpirySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Devana__Bootstrap__AdminEmail"] = "admin@scaleout.test",
            ["Devana__Bootstrap__AdminPassword"] = "Scale-out-admin-password-1",
            ["Devana__Bootstrap__ClientId"] = ClientId,
            ["Devana__Bootstrap__ClientSecret"] = ClientSecret,
            ["Devana__Llm__DefaultModel"] = "fake-large",
            ["Devana__Llm__Providers__fake__Type"] = "OpenAI",
            ["Devana__Llm__Providers__fake__BaseUrl"] = Upstream.BaseUrl,
            ["Devana__Llm__Providers__fake__ApiKey"] = "sk-fake-upstream-key",
            ["Devana__Llm__Providers__fake__MaxRetries"] = "0",
            ["Devana__Llm__Models__0__Id"] = "fake-large",
            ["Devana__Llm__Models__0__Provider"] = "fake",
            ["Devana__Llm__Models__0__UpstreamModel"] = "upstream-large",
            ["Devana__Llm__Models__0__ContextWindow"] = "100000",
            ["Devana__Llm__Models__0__MaxOutputTokens"] = "1000",
            ["Devana__Completions__KeepAliveSeconds"] = "1",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
    }

    /// <summary>A self-signed certificate as a PFX file, the kind an operator mounts into every replica.</summary>
    private string WriteCertificate(string name, X509KeyUsageFlags usage, string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=Devana scale-out {name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_directory, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    /// <summary>
    /// <c>dotnet publish</c> of Devana.Api, once per test run. The test project's build has just built it in
    /// the same configuration, so the publish only lays out what was built (<c>--no-build</c>).
    /// </summary>
    private static async Task<string> PublishAsync()
    {
        await s_publishGate.WaitAsync();
        try
        {
            if (s_published is not null)
            {
                return s_published;
            }

            var root = RepositoryRoot();
            var output = Path.Combine(Path.GetTempPath(), "devana-scaleout-publish", Guid.NewGuid().ToString("N"));
#if DEBUG
            const string Configuration = "Debug";
#else
            const string Configuration = "Release";
#endif
            var project = Path.Combine(root, "src", "Devana.Api", "Devana.Api.csproj");
            var (code, log) = await RunAsync("dotnet", ["publish", project, "-c", Configuration, "--no-build", "-o", output, "-p:UseAppHost=false"], root);
            if (code != 0)
            {
                throw new InvalidOperationException($"dotnet publish failed ({code}):{System.Environment.NewLine}{log}");
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    Directory.Delete(output, recursive: true);
                }
                catch (IOException)
                {
                    // Best effort.
                }
            };
            s_published = Path.Combine(output, "Devana.Api.dll");
            return s_published;
        }
        finally
        {
            s_publishGate.Release();
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Devana.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No Devana.sln above {AppContext.BaseDirectory}.");
    }

    private static async Task<(int Code, string Log)> RunAsync(string file, IEnumerable<string> arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}

/// <summary>Instances on one PostgreSQL database (Debian's server, started by the tests).</summary>
public sealed class PostgresCluster : DevanaCluster
{
    protected override int InitialInstances => 3;

    public override string? SkipReason => PostgresServer.SkipReason;

    protected override async Task<(string Provider, string ConnectionString)> DatabaseAsync(string directory)
    {
        var server = await PostgresServer.GetAsync();
        return ("Postgres", await server.CreateDatabaseAsync("scaleout"));
    }
}

/// <summary>Instances on one SQLite file.</summary>
public sealed class SqliteCluster : DevanaCluster
{
    protected override int InitialInstances => 2;

    protected override Task<(string Provider, string ConnectionString)> DatabaseAsync(string directory) =>
        Task.FromResult(("Sqlite", $"Data Source={Path.Combine(directory, "devana.db")}"));
}
