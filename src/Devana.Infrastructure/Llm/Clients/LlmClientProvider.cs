using System.Collections.Concurrent;
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
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.Llm.Clients;

/// <summary>
/// Keeps one client per catalog model, over the provider's named <see cref="HttpClient"/>, and builds it again
/// once it is as old as that client's handler lifetime (<see cref="HttpClientFactoryOptions.HandlerLifetime"/>),
/// so that <see cref="IHttpClientFactory"/> keeps rotating connections. Every client is wrapped in
/// <see cref="UpstreamErrorTranslatingChatClient"/>. The clients hold no state of a call, so calls share them.
/// </summary>
/// <remarks>
/// A client used to be built for every call. The OpenAI SDK builds its pipeline with each client, user-agent
/// string and all (by reflection): 1.7% of a completion's CPU (docs/performance.md).
/// </remarks>
internal sealed class LlmClientProvider(
    ILlmCatalog catalog,
    LlmSettings settings,
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<HttpClientFactoryOptions> httpClientOptions,
    ITokenCounter tokenCounter,
    LlmTelemetry telemetry,
    TimeProvider timeProvider,
    IServiceProvider services) : ILlmClientProvider
{
    private readonly ConcurrentDictionary<string, Kept> _kept = new(StringComparer.Ordinal);

    public IChatClient GetClient(LlmModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var known = catalog.Find(model.Id)
            ?? throw new ArgumentException($"The model '{model.Id}' is not in the LLM catalog.", nameof(model));
        return telemetry.Instrument(known, () => Current(known));
    }

    /// <summary>The model's kept client, or a new one when there is none yet or it has lived its lifetime.</summary>
    private IChatClient Current(LlmModel known)
    {
        var now = timeProvider.GetUtcNow();
        if (_kept.TryGetValue(known.Id, out var kept) && now < kept.RenewAt)
        {
            return kept.Client;
        }

        // Two calls may both build one at the turn of a lifetime; the last one stays, and both work.
        var lifetime = httpClientOptions.Get(settings.Providers[known.Provider].HttpClientName).HandlerLifetime;
        var renewAt = lifetime == Timeout.InfiniteTimeSpan || lifetime >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + lifetime;
        var client = Create(known);
        _kept[known.Id] = new Kept(client, renewAt);
        return client;
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

    private sealed record Kept(IChatClient Client, DateTimeOffset RenewAt);
}
