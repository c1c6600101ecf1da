using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.Llm.Catalog;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.Llm.Clients.AzureOpenAI;

/// <summary>
/// Azure OpenAI's <c>POST {BaseUrl}/openai/deployments/{UpstreamModel}/chat/completions?api-version={ApiVersion}</c>,
/// through <c>Azure.AI.OpenAI</c> and Microsoft.Extensions.AI's OpenAI adapter. With a key the SDK sends it in
/// <c>api-key</c>; without one it asks Microsoft Entra ID for a token (<see cref="TokenCredential"/>, by default
/// <c>DefaultAzureCredential</c>) and sends <c>Authorization: Bearer</c>.
/// </summary>
internal static class AzureOpenAIChatClientFactory
{
    /// <summary>The <c>api-version</c> values this SDK can ask for, newest last; the newest is the default.</summary>
    public static readonly IReadOnlyDictionary<string, AzureOpenAIClientOptions.ServiceVersion> Versions = Enum
        .GetValues<AzureOpenAIClientOptions.ServiceVersion>()
        .ToDictionary(v => v.ToString()[1..].Replace('_', '-').ToLowerInvariant(), v => v, StringComparer.Ordinal);

    public static string DefaultVersion => Versions.MaxBy(v => v.Value).Key;

    public static IChatClient Create(LlmProviderSettings provider, LlmModel model, HttpClient httpClient, Func<TokenCredential> credential)
    {
        ArgumentNullException.ThrowIfNull(provider.BaseUrl);
        var options = new AzureOpenAIClientOptions(Versions[provider.ApiVersion ?? DefaultVersion])
        {
            Transport = new HttpClientPipelineTransport(httpClient),
            // Retries and timeouts belong to the HttpClient's resilience pipeline (UpstreamHttpClientRegistration).
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        var client = provider.ApiKey is { } key
            ? new AzureOpenAIClient(provider.BaseUrl, new ApiKeyCredential(key), options)
            : new AzureOpenAIClient(provider.BaseUrl, credential(), options);
        return new UpstreamModelChatClient(client.GetChatClient(model.UpstreamModel).AsIChatClient(), model);
    }
}
