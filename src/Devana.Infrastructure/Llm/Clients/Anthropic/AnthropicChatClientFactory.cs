using Anthropic;
using Anthropic.Core;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.Llm.Catalog;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.Llm.Clients.Anthropic;

/// <summary>
/// Anthropic's <c>POST {BaseUrl}/v1/messages</c>, through the official SDK and its Microsoft.Extensions.AI adapter.
/// The SDK (13.x) would send the key as <c>Authorization: Bearer</c> and <c>anthropic-version: 2026-10-21</c>;
/// it is given no key, and <see cref="AnthropicHeadersHandler"/> (one of the SDK's own <see cref="ClientOptions.Handlers"/>)
/// sends the key in <c>x-api-key</c> and the configured <c>ApiVersion</c>, as Anthropic's API reference documents.
/// </summary>
internal static class AnthropicChatClientFactory
{
    public static IChatClient Create(LlmProviderSettings provider, LlmModel model, HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(provider.BaseUrl);
        var version = provider.ApiVersion ?? LlmSettings.AnthropicVersions[0];
        var client = new AnthropicClient(new ClientOptions
        {
            HttpClient = httpClient,
            Handlers = [new AnthropicHeadersHandler(provider.ApiKey, version)],
            BaseUrl = provider.BaseUrl.AbsoluteUri.TrimEnd('/'),
            // Null on purpose: the SDK reads no key from the environment and adds no Authorization header.
            ApiKey = null,
            // Retries and timeouts belong to the HttpClient's resilience pipeline (UpstreamHttpClientRegistration).
            MaxRetries = 0,
            Timeout = Timeout.InfiniteTimeSpan,
        });
        return new AnthropicRequestChatClient(
            client.AsIChatClient(model.UpstreamModel, model.MaxOutputTokens), model, sendsSamplingParameters: version == LlmSettings.AnthropicVersions[0]);
    }
}
