using Anthropic;
using Anthropic.Core;
using Devana.Application.Llm;
using Devana.Infrastructure.Llm.Catalog;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.Llm.Clients.Anthropic;

/// <summary>Anthropic's <c>POST {BaseUrl}/v1/messages</c>, through the official SDK and its Microsoft.Extensions.AI adapter.</summary>
internal static class AnthropicChatClientFactory
{
    public static IChatClient Create(LlmProviderSettings provider, LlmModel model, HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(provider.BaseUrl);
        var client = new AnthropicClient(new ClientOptions
        {
            HttpClient = httpClient,
            BaseUrl = provider.BaseUrl.AbsoluteUri.TrimEnd('/'),
            // Set even when null: a null key stops the SDK from looking for one in the environment.
            ApiKey = provider.ApiKey,
            // Retries and timeouts belong to the HttpClient's resilience pipeline (UpstreamHttpClientRegistration).
            MaxRetries = 0,
            Timeout = Timeout.InfiniteTimeSpan,
        });
        return new AnthropicRequestChatClient(client.AsIChatClient(model.UpstreamModel, model.MaxOutputTokens), model);
    }
}
