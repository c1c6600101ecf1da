using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Devana.Testing;

/// <summary>
/// A real PostgreSQL server from the operating system's package (Debian: <c>postgresql</c>), one per test
/// process: <c>initdb</c> into a temporary directory, <c>pg_ctl start</c> on a free loopback port, and
/// <c>pg_ctl stop</c> plus the directory removed when the process exits. PostgreSQL refuses to run as
/// root, so as root the server runs as the <c>postgres</c> user the package creates (through
/// <c>runuser</c>). Each caller gets a database of its own (<see cref="CreateDatabaseAsync"/>).
/// </summary>
/// <remarks>
/// Where the package is missing the tests skip with <see cref="SkipReason"/>, except when the environment
/// variable <c>DEVANA_REQUIRE_POSTGRES</c> is set (CI sets it, after installing the package): then they fail.
/// Durability is off (<c>fsync=off</c>): the data is thrown away.
/// </remarks>
public sealed class PostgresServer
{
    public const string RequireVariable = "DEVANA_REQUIRE_POSTGRES";
    private const string ServerUser = "devana";

    private static readonly Lazy<string?> s_binDirectory = new(FindBinDirectory);
    private static readonly SemaphoreSlim s_startGate = new(1, 1);
    private static PostgresServer? s_shared;

    private readonly string _directory;
    private readonly string _binDirectory;
    private readonly bool _asPostgresUser;

    private PostgresServer(string directory, string binDirectory, bool asPostgresUser, int port)
    {
        _directory = directory;
        _binDirectory = binDirectory;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    /// <summary>Null when a server can be started here; otherwise why the PostgreSQL tests skip.</summary>
    public static string? SkipReason
    {
        get
        {
            if (s_binDirectory.Value is not null)
            {
                return null;
            }

            const string Reason = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): install Debian's 'postgresql' package to run the PostgreSQL tests";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RequireVariable)))
            {
                throw new InvalidOperationException($"{Reason} ({RequireVariable} is set, so they may not skip).");
            }

            return Reason;
        }
    }

    public int Port { get; }

    /// <summary>The process's server, started on first use.</summary>
    public static async Task<PostgresServer> GetAsync()
    {
        await s_startGate.WaitAsync();
        try
        {
            if (s_shared is null)
            {
                s_shared = await StartAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => s_shared.Stop();
            }

            return s_shared;
        }
        finally
        {
            s_startGate.Release();
        }
    }

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "devana")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\";";
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = IPAddress.Loopback.ToString(),
            Port = Port,
            Username = ServerUser,
            Database = database,
            IncludeErrorDetail = true,
        }.ConnectionString;

    private static async Task<PostgresServer> StartAsync()
    {
        var bin = s_binDirectory.Value ?? throw new InvalidOperationException(SkipReason);
        var asPostgresUser = Environment.UserName == "root";
        var directory = Path.Combine(Path.GetTempPath(), "devana-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        if (asPostgresUser)
        {
            await RunAsync("chown", ["postgres:postgres", directory]);
        }

        var data = Path.Combine(directory, "data");
        var port = FreePort();
        var server = new PostgresServer(directory, bin, asPostgresUser, port);
        await server.RunToolAsync("initdb", ["-D", data, "-U", ServerUser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -k {directory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await server.RunToolAsync("pg_ctl", ["-D", data, "-l", Path.Combine(directory, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
        server.WatchThisProcess(data);
        return server;
    }

    private void Stop()
    {
        try
        {
            RunToolAsync("pg_ctl", ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"]).GetAwaiter().GetResult();
        }
        finally
        {
            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
    }

    /// <summary>
    /// A watchdog shell that stops the server and removes its directory once this test process is gone, for
    /// when the process is killed (a hang timeout) and <c>ProcessExit</c> never runs.
    /// </summary>
    private void WatchThisProcess(string data)
    {
        var stop = _asPostgresUser
            ? $"runuser -u postgres -- '{Path.Combine(_binDirectory, "pg_ctl")}' -D '{data}' -m immediate stop"
            : $"'{Path.Combine(_binDirectory, "pg_ctl")}' -D '{data}' -m immediate stop";
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; {stop} >/dev/null 2>&1; rm -rf '{_directory}'";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "sh", "-c", script })
        {
            start.ArgumentList.Add(argument);
        }

        Process.Start(start)?.Dispose();
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_binDirectory, tool);
        return _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments])
            : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindBinDirectory()
    {
        const string Root = "/usr/lib/postgresql";
        if (!Directory.Exists(Root))
        {
            return null;
        }

        return Directory.GetDirectories(Root)
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
            .FirstOrDefault();
    }
}
