using System.Text.Json;
using Anthropic.Models.Messages;
using Devana.Application.Llm.Common;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.Llm.Clients.Anthropic;

/// <summary>
/// Fills the gaps of the SDK's adapter (13.x), which maps neither <see cref="ChatOptions.Temperature"/> nor
/// <see cref="ChatOptions.TopP"/> and ignores a JSON response format without a schema. The request starts
/// from a raw <see cref="MessageCreateParams"/> carrying model, max_tokens, temperature and top_p; the adapter
/// adds the messages, system prompt and stop sequences to it. Anthropic has no JSON mode, so JSON is asked
/// for in the system prompt, as Anthropic's documentation suggests. API version 2026-10-21 refuses temperature
/// and top_p (400, even at their defaults), so with that version they are left out.
/// </summary>
internal sealed class AnthropicRequestChatClient(IChatClient innerClient, LlmModel model, bool sendsSamplingParameters) : DelegatingChatClient(innerClient)
{
    internal const string JsonInstruction =
        "Answer with one valid JSON object and nothing else: no prose before or after it, no code fences.";

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, Shape(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, Shape(options), cancellationToken);

    private ChatOptions Shape(ChatOptions? options)
    {
        var shaped = options?.Clone() ?? new ChatOptions();
        shaped.ModelId = model.UpstreamModel;
        var body = new Dictionary<string, JsonElement>
        {
            ["model"] = JsonSerializer.SerializeToElement(model.UpstreamModel),
            ["max_tokens"] = JsonSerializer.SerializeToElement(shaped.MaxOutputTokens ?? model.MaxOutputTokens),
            ["messages"] = JsonSerializer.SerializeToElement(Array.Empty<object>()),
        };
        if (sendsSamplingParameters && shaped.Temperature is { } temperature)
        {
            body["temperature"] = JsonSerializer.SerializeToElement(temperature);
        }

        if (sendsSamplingParameters && shaped.TopP is { } topP)
        {
            body["top_p"] = JsonSerializer.SerializeToElement(topP);
        }

        var request = MessageCreateParams.FromRawUnchecked(
            new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), body);
        shaped.RawRepresentationFactory = _ => request;

        if (shaped.ResponseFormat is ChatResponseFormatJson { Schema: null })
        {
            shaped.Instructions = string.IsNullOrWhiteSpace(shaped.Instructions)
                ? JsonInstruction
                : $"{shaped.Instructions}\n\n{JsonInstruction}";
        }

        return shaped;
    }
}
