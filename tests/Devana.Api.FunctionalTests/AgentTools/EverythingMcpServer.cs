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

        var port = FreePort();
        var start = new ProcessStartInfo("node", $"\"{entry}\" streamableHttp")
        {
            WorkingDirectory = folder,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            server._process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            server.SkipReason = $"node is not installed: {exception.Message}";
            return server;
        }

        server._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("listening on port", StringComparison.OrdinalIgnoreCase) == true)
            {
                listening.TrySetResult();
            }
        };
        server._process.OutputDataReceived += (_, _) => { };
        server._process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("server-everything exited before it listened."));
        server._process.EnableRaisingEvents = true;
        server._process.BeginErrorReadLine();
        server._process.BeginOutputReadLine();
        // A bound, not a sleep: the server says when it listens; this only keeps a broken start from hanging the suite.
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(120));
        server.Url = $"http://127.0.0.1:{port}/mcp";
        return server;
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
