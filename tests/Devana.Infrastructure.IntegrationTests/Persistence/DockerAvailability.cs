using System.Net.Sockets;

namespace Devana.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// Whether a Docker engine answers here, for the SQL Server (Testcontainers.MsSql) tests. Where none does
/// they skip with <see cref="SkipReason"/>, which says why (no engine, or a socket this user may not use)
/// and what is then not covered.
/// </summary>
public static class DockerAvailability
{
    /// <summary>What the PostgreSQL run does not cover of SQL Server, said in every SQL Server skip reason.</summary>
    public const string NotCovered =
        "not covered here: SQL Server's migration set, its insert-if-absent of quota counters under UPDLOCK/HOLDLOCK, "
        + "its retrying execution strategy and savepoints on SQL Server. The rest of the server-database quota strategy "
        + "(conditional updates in the fixed lock order, savepoints in the caller's transaction, the settlement) is the "
        + "same code on PostgreSQL, whose tests run";

    private static readonly Lazy<string?> s_problem = new(Probe);

    public static bool IsAvailable => s_problem.Value is null;

    /// <summary>Null when an engine answers.</summary>
    public static string? SkipReason => s_problem.Value is { } problem ? $"SQL Server (Testcontainers.MsSql) needs a Docker engine: {problem}; {NotCovered}" : null;

    /// <summary>Null when an engine answers, else what is wrong.</summary>
    private static string? Probe()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        try
        {
            if (!string.IsNullOrEmpty(host) && host.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
            {
                var uri = new Uri(host);
                using var tcp = new TcpClient();
                return tcp.ConnectAsync(uri.Host, uri.Port).Wait(TimeSpan.FromSeconds(2)) && tcp.Connected
                    ? null
                    : $"nothing answers at DOCKER_HOST={host}";
            }

            var path = !string.IsNullOrEmpty(host) && host.StartsWith("unix://", StringComparison.OrdinalIgnoreCase)
                ? host["unix://".Length..]
                : "/var/run/docker.sock";
            if (!File.Exists(path))
            {
                return $"no Docker engine (no socket at {path})";
            }

            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return null;
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AccessDenied)
        {
            return $"the Docker socket exists but this user ({Environment.UserName}) may not use it (permission denied; add the user to the 'docker' group)";
        }
        catch (Exception exception) when (exception is SocketException or IOException or AggregateException or UriFormatException)
        {
            return $"the Docker engine does not answer ({exception.GetType().Name}: {exception.Message})";
        }
    }
}
