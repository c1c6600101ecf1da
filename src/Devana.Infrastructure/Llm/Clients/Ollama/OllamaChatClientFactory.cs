using System.Net.Http.Headers;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.Llm.Catalog;
using Devana.Infrastructure.Llm.Clients.Http;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OllamaSharp.Models;

namespace Devana.Infrastructure.Llm.Clients.Ollama;

/// <summary>Ollama's native <c>POST {BaseUrl}/api/chat</c> (NDJSON when streaming), through OllamaSharp.</summary>
internal static class OllamaChatClientFactory
{
    public static IChatClient Create(LlmProviderSettings provider, LlmModel model, HttpClient httpClient)
    {
        var client = new CancellableOllamaApiClient(httpClient, model.UpstreamModel);
        if (provider.ApiKey is { } apiKey)
        {
            // Ollama itself has no keys; a reverse proxy in front of it may want one.
            client.DefaultRequestHeaders["Authorization"] = new AuthenticationHeaderValue("Bearer", apiKey).ToString();
        }

        return new UpstreamModelChatClient(client, model);
    }

    /// <summary>
    /// OllamaSharp reads its NDJSON stream without the caller's token and ends the stream quietly once it is
    /// cancelled; binding the body's reads to the token makes cancellation interrupt a read that waits.
    /// </summary>
    private sealed class CancellableOllamaApiClient(HttpClient client, string defaultModel) : OllamaApiClient(client, defaultModel)
    {
        protected override async Task<HttpResponseMessage> SendToOllamaAsync(
            HttpRequestMessage requestMessage, OllamaRequest? ollamaRequest, HttpCompletionOption completionOption, CancellationToken cancellationToken)
        {
            var response = await base.SendToOllamaAsync(requestMessage, ollamaRequest, completionOption, cancellationToken);
            if (cancellationToken.CanBeCanceled)
            {
                response.Content = new GuardedContent(response.Content, idleTimeout: null, TimeProvider.System, cancellationToken);
            }

            return response;
        }
    }
}
