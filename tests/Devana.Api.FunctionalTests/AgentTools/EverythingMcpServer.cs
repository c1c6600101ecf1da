using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Devana.Api.FunctionalTests.AgentTools;

/// <summary>
/// npm's <c>@modelcontextprotocol/server-everything</c> (pinned in <c>AgentTools/mcp/package.json</c> and its
/// lockfile), installed with <c>npm ci</c> into that folder when it is missing and started over Streamable
/// HTTP on a free loopback port. Where node or npm is absent, <see cref="SkipReason"/> says so and the MCP
/// tests skip with it.
/// </summary>
public sealed class EverythingMcpServer : IAsyncDisposable
{
    private Process? _process;

    public string? SkipReason { get; private set; }

    /// <summary>The Streamable HTTP endpoint: <c>http://127.0.0.1:{port}/mcp</c>.</summary>
    public string Url { get; private set; } = string.Empty;

    public static async Task<EverythingMcpServer> StartAsync()
    {
        var server = new EverythingMcpServer();
        var folder = Path.Combine(RepositoryRoot(), "tests", "Devana.Api.FunctionalTests", "AgentTools", "mcp");
        var entry = Path.Combine(folder, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");
        if (!File.Exists(entry))
        {
            if (await RunAsync("npm", "ci --no-audit --no-fund", folder) is { } npmProblem)
            {
                server.SkipReason = $"@modelcontextprotocol/server-everything could not be installed: {npmProblem}";
                return server;
            }
        }

        // The port is free when FreePort lets it go, but under a full test run an outbound connection can take it as
        // its local port before node binds it (EADDRINUSE, and the server exits). A new port is tried then.
        var failures = new List<string>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            switch (await server.TryListenAsync(entry, folder, FreePort()))
            {
                case { Started: true }:
                    return server;
                case { SkipReason: { } skip }:
                    server.SkipReason = skip;
                    return server;
                case { Error: var error }:
                    failures.Add($"attempt {attempt}: {error}");
                    break;
            }
        }

        throw new InvalidOperationException($"server-everything exited before it listened, three times: {string.Join(" | ", failures)}");
    }

    private async Task<(bool Started, string? SkipReason, string? Error)> TryListenAsync(string entry, string folder, int port)
    {
        var start = new ProcessStartInfo("node", $"\"{entry}\" streamableHttp")
        {
            WorkingDirectory = folder,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var listening = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return (false, $"node is not installed: {exception.Message}", null);
        }

        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                // The end of stderr: every line the server wrote is in, so a failed start can say what it wrote.
                listening.TrySetResult(false);
            }
            else if (e.Data.Contains("listening on port", StringComparison.OrdinalIgnoreCase))
            {
                listening.TrySetResult(true);
            }
            else
            {
                errors.Enqueue(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        // A bound, not a sleep: the server says when it listens; this only keeps a broken start from hanging the suite.
        bool started;
        try
        {
            started = await listening.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            // Neither listening nor gone: stopped here, since a fixture that failed to start is never disposed.
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        if (started)
        {
            _process = process;
            Url = $"http://127.0.0.1:{port}/mcp";
            return (true, null, null);
        }

        await process.WaitForExitAsync();
        var error = $"port {port}, exit code {process.ExitCode}: {string.Join(" ", errors)}";
        process.Dispose();
        return (false, null, error);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Null when the command succeeded, else why not.</summary>
    private static async Task<string?> RunAsync(string file, string arguments, string folder)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? null : $"{file} {arguments} exited with {process.ExitCode}: {await error}";
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return $"{file} is not installed ({exception.Message})";
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Devana.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Devana.sln not found above the test output directory.");
    }
}
