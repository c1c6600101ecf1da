using System.Net;
using System.Net.Sockets;
using Devana.Application.Common.Interfaces;
using Devana.Application.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.Tools;

public static class ToolsSetup
{
    /// <summary>
    /// Agent tools (docs/tools.md): <c>Devana:Tools</c>, the host policy, the secret protector, and the HTTP
    /// clients that call HTTP tools and MCP servers. Its connections are made here: the host name is resolved and a connection is
    /// opened only to an address the policy allows for that name, so a DNS answer cannot lead a tool call to a
    /// private address that is not listed. It never follows redirects itself (the invoker checks each one).
    /// </summary>
    public static IServiceCollection AddAgentTools(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = ToolsSettings.FromConfiguration(configuration);
        var policy = new ToolHostPolicy(settings);
        services.AddSingleton(settings);
        services.AddSingleton(policy);
        services.AddSingleton<IToolHostPolicy>(policy);
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddSingleton<ToolOutput>();
        services.AddSingleton<IAgentToolInvoker, HttpAgentToolInvoker>();
        services.AddSingleton<IMcpToolSource, McpToolSource>();
        foreach (var name in new[] { HttpAgentToolInvoker.HttpClientName, McpToolSource.HttpClientName })
        {
            services.AddHttpClient(name, client => client.Timeout = Timeout.InfiniteTimeSpan)
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    UseProxy = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    ConnectCallback = (context, token) => ConnectAsync(policy, context, token),
                });
        }

        return services;
    }

    private static async ValueTask<Stream> ConnectAsync(ToolHostPolicy policy, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => policy.IsAddressAllowed(host, a)).ToList();
        if (allowed.Count == 0)
        {
            throw new HttpRequestException($"'{host}' resolves to no address tools may call (loopback and private addresses only when listed in Devana:Tools:AllowedHosts).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.ToArray(), context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
