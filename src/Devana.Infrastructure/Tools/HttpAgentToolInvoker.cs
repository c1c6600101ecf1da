using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Devana.Application.Common.Interfaces;
using Devana.Application.Llm;
using Devana.Application.Tools;
using Devana.Domain.Agents;
using Microsoft.Extensions.Logging;

namespace Devana.Infrastructure.Tools;

/// <summary>
/// Calls an agent's HTTP tool (docs/tools.md) over the <see cref="HttpClientName"/> client, whose connections
/// go only to addresses <see cref="ToolHostPolicy"/> allows and which follows no redirect by itself: a
/// redirect is followed here, up to <see cref="ToolsSettings.MaxRedirects"/>, only to an allowed URL. The
/// answer is read up to <see cref="ToolsSettings.MaxResponseBytes"/>, the tool's header values are blanked
/// out of it, and it is cut to <see cref="ToolsSettings.MaxOutputTokens"/> tokens. Logs name the tool, the
/// status and the duration, never a header or an argument.
/// </summary>
internal sealed partial class HttpAgentToolInvoker(
    IHttpClientFactory httpClientFactory,
    ToolHostPolicy hosts,
    ToolsSettings settings,
    ISecretProtector secrets,
    ITokenCounter tokens,
    TimeProvider clock,
    ILogger<HttpAgentToolInvoker> logger) : IAgentToolInvoker
{
    public const string HttpClientName = "devana-tools";
    public const string Redacted = "[redacted]";

    // The LLM reads these errors: quotes and the like stay as written.
    private static readonly JsonSerializerOptions s_errors = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<AgentToolResult> InvokeAsync(AgentToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var tool = invocation.Tool;
        var started = Stopwatch.GetTimestamp();
        Dictionary<string, string> headerValues;
        try
        {
            headerValues = tool.Headers.ToDictionary(h => h.Key, h => secrets.Unprotect(h.Value), StringComparer.OrdinalIgnoreCase);
        }
        catch (CryptographicException)
        {
            // The Data Protection keys that encrypted them are gone: the owner sets the headers again.
            LogCall(tool.Name, null, false, 0);
            return Error($"The tool '{tool.Name}' was not called: its stored headers can no longer be decrypted; the agent's owner must set them again.");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(tool.TimeoutSeconds), clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        AgentToolResult result;
        int? status = null;
        try
        {
            (result, status) = await CallAsync(invocation, headerValues, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            result = Error($"The tool '{tool.Name}' did not answer within {tool.TimeoutSeconds} s (its timeout_seconds).");
        }
        catch (HttpRequestException exception)
        {
            // The message names the host and the reason (refused address, connection refused, DNS), never a header.
            result = Error($"The tool '{tool.Name}' could not be reached: {exception.Message}");
        }

        LogCall(tool.Name, status, result.Succeeded, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result with { Output = Redact(result.Output, headerValues.Values) };
    }

    private async Task<(AgentToolResult Result, int? Status)> CallAsync(AgentToolInvocation invocation, Dictionary<string, string> headerValues, CancellationToken cancellationToken)
    {
        var tool = invocation.Tool;
        var client = httpClientFactory.CreateClient(HttpClientName);
        var url = tool.Method == AgentToolMethod.Get ? WithQuery(new Uri(tool.Url), invocation.ArgumentsJson) : new Uri(tool.Url);
        var method = tool.Method == AgentToolMethod.Get ? HttpMethod.Get : HttpMethod.Post;
        for (var redirects = 0; ; redirects++)
        {
            if (hosts.RefusalFor(url) is { } refusal)
            {
                return (Error($"The tool '{tool.Name}' was not called at {url.GetLeftPart(UriPartial.Path)}: {refusal}"), null);
            }

            using var request = new HttpRequestMessage(method, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain", 0.9));
            foreach (var (name, value) in headerValues)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            request.Headers.Add("x-devana-agent-id", invocation.AgentId);
            request.Headers.Add("x-devana-conversation-id", invocation.ConversationId);
            request.Headers.Add("x-devana-principal-id", invocation.PrincipalId);
            if (method == HttpMethod.Post)
            {
                request.Content = new StringContent(invocation.ArgumentsJson, Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                if (redirects >= settings.MaxRedirects)
                {
                    return (Error($"The tool '{tool.Name}' redirected more than {settings.MaxRedirects} times."), status);
                }

                url = location.IsAbsoluteUri ? location : new Uri(url, location);
                if (status is 301 or 302 or 303 && method == HttpMethod.Post)
                {
                    // As browsers and HttpClient do: the redirected request is a GET without the body.
                    method = HttpMethod.Get;
                }

                continue;
            }

            var body = await ReadCappedAsync(response.Content, cancellationToken);
            if (body is null)
            {
                return (Error($"The tool '{tool.Name}' answered more than {settings.MaxResponseBytes} bytes (Devana:Tools:MaxResponseBytes)."), status);
            }

            if (!response.IsSuccessStatusCode)
            {
                return (new AgentToolResult(false, JsonSerializer.Serialize(new
                {
                    error = $"The tool '{tool.Name}' answered HTTP {status}.",
                    status,
                    body = body.Length > 1000 ? body[..1000] : body,
                }, s_errors)), status);
            }

            return (new AgentToolResult(true, CapTokens(body)), status);
        }
    }

    /// <summary>The body as text, or null when it is larger than the cap (by its Content-Length or as read).</summary>
    private async Task<string?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > settings.MaxResponseBytes)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > settings.MaxResponseBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        var encoding = content.Headers.ContentType?.CharSet is { } charset ? EncodingOf(charset) : Encoding.UTF8;
        return encoding.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>At most <see cref="ToolsSettings.MaxOutputTokens"/> tokens, cut where the tokenizer says, with a note the LLM reads.</summary>
    private string CapTokens(string text)
    {
        var max = settings.MaxOutputTokens;
        if (tokens.CountTokens(text) <= max)
        {
            return text;
        }

        // The longest prefix within the cap: a token is at most a few dozen characters, then a binary search.
        var high = Math.Min(text.Length, max * 32);
        var low = 0;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (tokens.CountTokens(text[..middle]) <= max)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return $"{text[..low]}\n[truncated: the tool's answer was longer than {max} tokens]";
    }

    private static Uri WithQuery(Uri url, string argumentsJson)
    {
        using var arguments = JsonDocument.Parse(argumentsJson);
        var query = new StringBuilder(url.Query.TrimStart('?'));
        foreach (var argument in arguments.RootElement.EnumerateObject())
        {
            var value = argument.Value.ValueKind switch
            {
                JsonValueKind.String => argument.Value.GetString()!,
                JsonValueKind.Null => string.Empty,
                _ => argument.Value.GetRawText(),
            };
            query.Append(query.Length == 0 ? string.Empty : "&").Append(Uri.EscapeDataString(argument.Name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return new UriBuilder(url) { Query = query.ToString() }.Uri;
    }

    private static string Redact(string text, IEnumerable<string> secrets) =>
        secrets.Where(s => s.Length >= 4).Aggregate(text, (current, secret) => current.Replace(secret, Redacted, StringComparison.Ordinal));

    private static AgentToolResult Error(string message) => new(false, JsonSerializer.Serialize(new { error = message }, s_errors));

    private static Encoding EncodingOf(string charset)
    {
        try
        {
            return Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tool {Tool} called: HTTP {Status}, succeeded {Succeeded}, {DurationMs} ms")]
    private partial void LogCall(string tool, int? status, bool succeeded, long durationMs);
}
