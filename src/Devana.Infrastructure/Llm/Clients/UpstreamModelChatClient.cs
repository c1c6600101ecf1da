using Devana.Application.Llm.Common;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.Llm.Clients;

/// <summary>Every call names the catalog model's <see cref="LlmModel.UpstreamModel"/>, whatever the caller's options say.</summary>
internal sealed class UpstreamModelChatClient(IChatClient innerClient, LlmModel model) : DelegatingChatClient(innerClient)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, Pin(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, Pin(options), cancellationToken);

    private ChatOptions Pin(ChatOptions? options)
    {
        var pinned = options?.Clone() ?? new ChatOptions();
        pinned.ModelId = model.UpstreamModel;
        return pinned;
    }
}
