namespace Devana.Infrastructure.Llm.Clients.Anthropic;

/// <summary>
/// Puts the headers Anthropic's API reference asks for on every request ("Authentication": the key in
/// <c>x-api-key</c>; "Versions": an <c>anthropic-version</c> it lists), in place of what the SDK chose. Any
/// <c>Authorization</c> header goes: the key travels once, in the documented header.
/// </summary>
internal sealed class AnthropicHeadersHandler(string? apiKey, string apiVersion) : DelegatingHandler
{
    internal const string ApiKeyHeader = "x-api-key";
    internal const string VersionHeader = "anthropic-version";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = null;
        request.Headers.Remove(ApiKeyHeader);
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation(ApiKeyHeader, apiKey);
        }

        request.Headers.Remove(VersionHeader);
        request.Headers.TryAddWithoutValidation(VersionHeader, apiVersion);
        return base.SendAsync(request, cancellationToken);
    }
}
