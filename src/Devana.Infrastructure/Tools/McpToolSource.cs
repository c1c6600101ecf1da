using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Tools;
using Devana.Domain.Agents;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Devana.Infrastructure.Tools;

/// <summary>
/// The agents' MCP servers through the official C# SDK, over Streamable HTTP on the
/// <see cref="HttpClientName"/> client (the same address policy as HTTP tools, no redirects). One session per
/// server configuration is kept and shared by completions; its tool list is listed again after
/// <see cref="ToolsSettings.McpListSeconds"/>, and a session that fails is opened anew. Connecting, listing
/// and each call are bounded by <see cref="ToolsSettings.McpTimeoutSeconds"/>: an unreachable server is an
/// error naming it, a failing call is an error result the LLM reads.
/// </summary>
internal sealed partial class McpToolSource(
    IHttpClientFactory httpClientFactory,
    ToolsSettings settings,
    ToolHostPolicy hosts,
    ISecretProtector secrets,
    ToolOutput output,
    TimeProvider clock,
    ILogger<McpToolSource> logger) : IMcpToolSource, IAsyncDisposable
{
    public const string HttpClientName = "devana-mcp";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<McpToolHandle>> GetToolsAsync(AgentMcpServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (hosts.RefusalFor(new Uri(server.Url)) is { } refusal)
        {
            throw new UpstreamException($"The MCP server '{server.Name}' of the agent is not allowed: {refusal}");
        }

        var headers = Unprotect(server);
        var session = await SessionForAsync(server, headers, cancellationToken);
        return session.Tools
            .Where(tool => server.AllowedTools.Count == 0 || server.AllowedTools.Contains(tool.Name, StringComparer.Ordinal))
            .Select(tool => new McpToolHandle(
                tool.Name,
                tool.Description,
                tool.JsonSchema,
                (arguments, token) => CallAsync(server, tool, arguments, headers.Values, token)))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions.Values)
        {
            await session.Client.DisposeAsync();
        }

        _sessions.Clear();
    }

    private async Task<Session> SessionForAsync(AgentMcpServer server, Dictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var key = KeyOf(server);
        var gate = _locks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_sessions.TryGetValue(key, out var current) && clock.GetUtcNow() - current.ListedAt < TimeSpan.FromSeconds(settings.McpListSeconds))
            {
                return current;
            }

            if (current is not null)
            {
                try
                {
                    var refreshed = current with { Tools = await ListAsync(current.Client, cancellationToken), ListedAt = clock.GetUtcNow() };
                    _sessions[key] = refreshed;
                    return refreshed;
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The session is gone (the server restarted, say): a new one is opened below.
                    _sessions.TryRemove(key, out _);
                    await current.Client.DisposeAsync();
                }
            }

            var opened = await OpenAsync(server, headers, cancellationToken);
            _sessions[key] = opened;
            return opened;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<Session> OpenAsync(AgentMcpServer server, Dictionary<string, string> headers, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(settings.McpTimeoutSeconds), clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        McpClient? client = null;
        try
        {
            var transport = new HttpClientTransport(
                new HttpClientTransportOptions
                {
                    Endpoint = new Uri(server.Url),
                    TransportMode = HttpTransportMode.StreamableHttp,
                    Name = server.Name,
                    AdditionalHeaders = headers,
                    ConnectionTimeout = TimeSpan.FromSeconds(settings.McpTimeoutSeconds),
                },
                httpClientFactory.CreateClient(HttpClientName),
                loggerFactory: null,
                ownsHttpClient: false);
            client = await McpClient.CreateAsync(
                transport,
                new McpClientOptions
                {
                    ClientInfo = new Implementation { Name = "devana", Version = "1.0" },
                    InitializationTimeout = TimeSpan.FromSeconds(settings.McpTimeoutSeconds),
                },
                loggerFactory: null,
                linked.Token);
            var tools = await ListAsync(client, linked.Token);
            LogOpened(server.Name, tools.Count);
            return new Session(client, tools, clock.GetUtcNow());
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }

            LogUnreachable(server.Name, exception.GetType().Name);
            var reason = timeout.IsCancellationRequested ? $"no answer within {settings.McpTimeoutSeconds} s" : exception.Message;
            throw new UpstreamException($"The MCP server '{server.Name}' of the agent ({server.Url}) could not be reached: {reason}", timeout.IsCancellationRequested, exception);
        }
    }

    private async Task<IReadOnlyList<McpClientTool>> ListAsync(McpClient client, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(settings.McpTimeoutSeconds), clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        return (await client.ListToolsAsync(cancellationToken: linked.Token)).ToList();
    }

    private async Task<AgentToolResult> CallAsync(AgentMcpServer server, McpClientTool tool, string argumentsJson, IEnumerable<string> headerValues, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(settings.McpTimeoutSeconds), clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        AgentToolResult result;
        try
        {
            var arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>(argumentsJson) ?? [];
            var called = await tool.CallAsync(arguments, cancellationToken: linked.Token);
            var text = string.Join("\n", called.Content.Select(TextOf));
            result = called.IsError == true
                ? ToolOutput.Error($"The tool '{tool.Name}' of the MCP server '{server.Name}' failed: {text}")
                : new AgentToolResult(true, output.CapTokens(text));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            result = ToolOutput.Error($"The tool '{tool.Name}' of the MCP server '{server.Name}' did not answer within {settings.McpTimeoutSeconds} s.");
        }
        catch (Exception exception) when (exception is McpException or HttpRequestException or IOException or JsonException)
        {
            result = ToolOutput.Error($"The tool '{tool.Name}' of the MCP server '{server.Name}' could not be called: {exception.Message}");
        }

        LogCall(server.Name, tool.Name, result.Succeeded);
        return result with { Output = ToolOutput.Redact(result.Output, headerValues) };
    }

    /// <summary>Text blocks as they are; other content named, so that the LLM knows something was there.</summary>
    private static string TextOf(ContentBlock block) => block switch
    {
        TextContentBlock text => text.Text,
        ImageContentBlock image => $"[image {image.MimeType}]",
        AudioContentBlock audio => $"[audio {audio.MimeType}]",
        EmbeddedResourceBlock resource => $"[resource {resource.Resource.Uri}]",
        ResourceLinkBlock link => $"[resource link {link.Uri}]",
        _ => $"[{block.Type}]",
    };

    private Dictionary<string, string> Unprotect(AgentMcpServer server)
    {
        try
        {
            return server.Headers.ToDictionary(h => h.Key, h => secrets.Unprotect(h.Value), StringComparer.OrdinalIgnoreCase);
        }
        catch (CryptographicException exception)
        {
            throw new UpstreamException($"The MCP server '{server.Name}' of the agent was not called: its stored headers can no longer be decrypted; the agent's owner must set them again.", false, exception);
        }
    }

    /// <summary>One session per server configuration: its URL and (protected) headers.</summary>
    private static string KeyOf(AgentMcpServer server) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(server.Url + "\n" + string.Join("\n", server.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => $"{h.Key}:{h.Value}")))));

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP server {Server} connected: {Count} tools")]
    private partial void LogOpened(string server, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP server {Server} could not be reached ({Error})")]
    private partial void LogUnreachable(string server, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP tool {Server}/{Tool} called: succeeded {Succeeded}")]
    private partial void LogCall(string server, string tool, bool succeeded);

    private sealed record Session(McpClient Client, IReadOnlyList<McpClientTool> Tools, DateTimeOffset ListedAt);
}
