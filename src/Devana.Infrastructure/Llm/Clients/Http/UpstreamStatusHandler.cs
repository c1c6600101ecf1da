using System.Text;
using System.Text.Json;

namespace Devana.Infrastructure.Llm.Clients.Http;

/// <summary>
/// Outermost handler of every upstream client: a response that is still an error once the retries are
/// spent becomes an <see cref="UpstreamHttpException"/> carrying the upstream's own message, read from
/// the error body the way OpenAI and Azure OpenAI (<c>{"error": {"message", "type", "code"}}</c>), Anthropic
/// (<c>{"type": "error", "error": {"type", "message"}}</c>) and Ollama (<c>{"error": "..."}</c>) write it. The
/// error's code or type goes in front of the message (<c>authentication_error: invalid x-api-key</c>), since it
/// is what the provider's documentation lists.
/// </summary>
internal sealed class UpstreamStatusHandler : DelegatingHandler
{
    private const int MaxBodyChars = 16 * 1024;
    private const int MaxMessageChars = 1_000;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await ReadStartAsync(response.Content, cancellationToken);
            throw new UpstreamHttpException(response.StatusCode, ExtractMessage(body, response.ReasonPhrase));
        }
    }

    internal static string ExtractMessage(string body, string? reasonPhrase)
    {
        var message = TryReadJsonMessage(body) ?? body.Trim();
        if (message.Length == 0)
        {
            message = string.IsNullOrWhiteSpace(reasonPhrase) ? "(no error message)" : reasonPhrase;
        }

        return message.Length <= MaxMessageChars ? message : string.Concat(message.AsSpan(0, MaxMessageChars), "…");
    }

    private static string? TryReadJsonMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    return error.GetString();
                }

                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var nested) && nested.ValueKind == JsonValueKind.String)
                {
                    var kind = String(error, "code") ?? String(error, "type");
                    return string.IsNullOrWhiteSpace(kind) ? nested.GetString() : $"{kind}: {nested.GetString()}";
                }
            }

            foreach (var name in (string[])["message", "detail"])
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<string> ReadStartAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[MaxBodyChars];
            var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
            return new string(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or TimeoutException)
        {
            // The status is the news; a body that cannot be read adds nothing.
            return string.Empty;
        }
    }
}
