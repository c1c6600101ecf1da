using System.Net;
using System.Net.Sockets;
using Devana.Application.Common.Interfaces;
using Devana.Application.Tools;
using Devana.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.Tools;

public static class ToolsSetup
{
    /// <summary>
    /// Agent tools (docs/tools.md): <c>Devana:Tools</c>, the host policy, the secret protector, and the HTTP
    /// clients that call HTTP tools and MCP servers. Its connections are made here: the host name is resolved and a connection is
    /// opened only to an address the policy allows for that name, so a DNS answer cannot lead a tool call to a
    /// private address that is not listed. It never follows redirects itself (the invoker checks each one).
    /// </summary>
    public static IServiceCollection AddAgentTools(this IServiceCollection services)
    {
        services.AddValidatedOptions<ToolsOptions, ToolsOptionsValidator>(ToolsOptions.Section)
            .Configure<IConfiguration>(ToolsOptions.AddCommaSeparatedHosts);
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<ToolsOptions>>().Value.ToSettings());
        services.AddSingleton<ToolHostPolicy>();
        services.AddSingleton<IToolHostPolicy>(provider => provider.GetRequiredService<ToolHostPolicy>());
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddSingleton<ToolOutput>();
        services.AddSingleton<IAgentToolInvoker, HttpAgentToolInvoker>();
        services.AddSingleton<IMcpToolSource, McpToolSource>();
        foreach (var name in new[] { HttpAgentToolInvoker.HttpClientName, McpToolSource.HttpClientName })
        {
            services.AddHttpClient(name, client => client.Timeout = Timeout.InfiniteTimeSpan)
                .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    UseProxy = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    ConnectCallback = (context, token) => ConnectAsync(provider.GetRequiredService<ToolHostPolicy>(), context, token),
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
