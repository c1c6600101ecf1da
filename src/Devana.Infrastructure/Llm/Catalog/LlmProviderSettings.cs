using Devana.Application.Llm.Common;

namespace Devana.Infrastructure.Llm.Catalog;

/// <summary>One entry of <c>Devana:Llm:Providers</c>, checked at start-up. Holds the key: never log or list it.</summary>
/// <param name="Name">The configuration key of the entry (<c>Devana:Llm:Providers:{Name}</c>).</param>
/// <param name="Type">Which wire protocol the upstream speaks.</param>
/// <param name="BaseUrl">Where the upstream is; null only for <see cref="LlmProviderType.Echo"/>.</param>
/// <param name="ApiKey">The upstream's key, or null when it needs none.</param>
/// <param name="Timeout">How long the upstream may stay silent: before the first byte of an answer, and between two reads of it.</param>
/// <param name="MaxRetries">Retries of connection failures, 408, 429 and 5xx before the first byte; 0 turns retries off.</param>
/// <param name="RetryDelay">The first retry's delay; later ones double, with jitter.</param>
internal sealed record LlmProviderSettings(
    string Name,
    LlmProviderType Type,
    Uri? BaseUrl,
    string? ApiKey,
    TimeSpan Timeout,
    int MaxRetries,
    TimeSpan RetryDelay)
{
    /// <summary>
    /// The API version the upstream is asked for: Anthropic's <c>anthropic-version</c> header, Azure OpenAI's
    /// <c>api-version</c> query parameter; null for the other types.
    /// </summary>
    public string? ApiVersion { get; init; }

    /// <summary>The named <see cref="HttpClient"/> of this provider in <see cref="IHttpClientFactory"/>.</summary>
    public string HttpClientName => $"Devana.Llm.{Name}";

    // Records print every property; this one must not print the key.
    public override string ToString() =>
        $"{nameof(LlmProviderSettings)} {{ Name = {Name}, Type = {Type}, BaseUrl = {BaseUrl}, ApiVersion = {ApiVersion}, Timeout = {Timeout}, MaxRetries = {MaxRetries}, RetryDelay = {RetryDelay} }}";
}
