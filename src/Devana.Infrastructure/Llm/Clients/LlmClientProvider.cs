using Devana.Application.Llm.Common;
using Devana.Infrastructure.Llm.Catalog;
using Azure.Core;
using Devana.Infrastructure.Llm.Clients.Anthropic;
using Devana.Infrastructure.Llm.Clients.AzureOpenAI;
using Devana.Infrastructure.Llm.Clients.Ollama;
using Devana.Infrastructure.Llm.Clients.OpenAI;
using Devana.Infrastructure.Llm.Echo;
using Devana.Infrastructure.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.Llm.Clients;

/// <summary>
/// Builds a fresh, cheap client per call over the provider's named <see cref="HttpClient"/>, so that
/// <see cref="IHttpClientFactory"/> keeps rotating connections. Every client is wrapped in
/// <see cref="UpstreamErrorTranslatingChatClient"/>.
/// </summary>
internal sealed class LlmClientProvider(
    ILlmCatalog catalog,
    LlmSettings settings,
    IHttpClientFactory httpClientFactory,
    ITokenCounter tokenCounter,
    LlmTelemetry telemetry,
    TimeProvider timeProvider,
    IServiceProvider services) : ILlmClientProvider
{
    public IChatClient GetClient(LlmModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var known = catalog.Find(model.Id)
            ?? throw new ArgumentException($"The model '{model.Id}' is not in the LLM catalog.", nameof(model));
        return telemetry.Instrument(known, () => Create(known));
    }

    private IChatClient Create(LlmModel known)
    {
        var provider = settings.Providers[known.Provider];
        IChatClient client = provider.Type switch
        {
            LlmProviderType.Echo => new EchoChatClient(known, tokenCounter, timeProvider),
            LlmProviderType.OpenAI => OpenAIChatClientFactory.Create(provider, known, httpClientFactory.CreateClient(provider.HttpClientName)),
            LlmProviderType.Anthropic => AnthropicChatClientFactory.Create(provider, known, httpClientFactory.CreateClient(provider.HttpClientName)),
            LlmProviderType.Ollama => OllamaChatClientFactory.Create(provider, known, httpClientFactory.CreateClient(provider.HttpClientName)),
            // The credential is a singleton (it caches its tokens) and is built only for a provider without a key.
            LlmProviderType.AzureOpenAI => AzureOpenAIChatClientFactory.Create(
                provider, known, httpClientFactory.CreateClient(provider.HttpClientName), services.GetRequiredService<TokenCredential>),
            _ => throw new InvalidOperationException($"Unsupported provider type {provider.Type}."),
        };
        return new UpstreamErrorTranslatingChatClient(client, provider);
    }
}
