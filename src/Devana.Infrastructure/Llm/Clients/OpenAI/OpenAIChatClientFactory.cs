using System.ClientModel;
using System.ClientModel.Primitives;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.Llm.Catalog;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAIChatClient = OpenAI.Chat.ChatClient;

namespace Devana.Infrastructure.Llm.Clients.OpenAI;

/// <summary>
/// Any server that speaks OpenAI's <c>POST {BaseUrl}/chat/completions</c> (OpenAI itself, vLLM, LM Studio,
/// llama.cpp, LiteLLM, Ollama's /v1, …), through the OpenAI SDK and Microsoft.Extensions.AI's adapter.
/// </summary>
internal static class OpenAIChatClientFactory
{
    public static IChatClient Create(LlmProviderSettings provider, LlmModel model, HttpClient httpClient)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = provider.BaseUrl,
            Transport = new HttpClientPipelineTransport(httpClient),
            // Retries and timeouts belong to the HttpClient's resilience pipeline (UpstreamHttpClientRegistration).
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };

        // OpenAI-compatible servers often need no key. The SDK insists on one, so it gets a stand-in
        // and the Authorization header it makes is removed before the request leaves.
        if (provider.ApiKey is null)
        {
            options.AddPolicy(new RemoveAuthorizationPolicy(), PipelinePosition.BeforeTransport);
        }

        var chatClient = new OpenAIChatClient(model.UpstreamModel, new ApiKeyCredential(provider.ApiKey ?? "no-key"), options);
        return new UpstreamModelChatClient(new OpenAIRequestOptionsChatClient(chatClient.AsIChatClient()), model);
    }

    private sealed class RemoveAuthorizationPolicy : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Remove("Authorization");
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Remove("Authorization");
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
