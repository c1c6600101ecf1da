using System.Net.Sockets;

namespace Devana.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// Whether a Docker engine answers here. Testcontainers tests skip themselves with
/// <see cref="SkipReason"/> where none does (our build machines and CI have only the client).
/// </summary>
public static class DockerAvailability
{
    public const string SkipReason = "no Docker engine: the SQL Server (Testcontainers.MsSql) run of this test needs one; the SQLite run covers the same behaviour";

    private static readonly Lazy<bool> s_available = new(Probe);

    public static bool IsAvailable => s_available.Value;

    private static bool Probe()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        try
        {
            if (!string.IsNullOrEmpty(host) && host.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
            {
                var uri = new Uri(host);
                using var tcp = new TcpClient();
                return tcp.ConnectAsync(uri.Host, uri.Port).Wait(TimeSpan.FromSeconds(2)) && tcp.Connected;
            }

            var path = !string.IsNullOrEmpty(host) && host.StartsWith("unix://", StringComparison.OrdinalIgnoreCase)
                ? host["unix://".Length..]
                : "/var/run/docker.sock";
            if (!File.Exists(path))
            {
                return false;
            }

            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (Exception exception) when (exception is SocketException or IOException or AggregateException or UriFormatException)
        {
            return false;
        }
    }
}
