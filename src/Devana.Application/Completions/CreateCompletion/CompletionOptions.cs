using Devana.Domain.Agents;
using Microsoft.Extensions.AI;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// The request's generation settings as Microsoft.Extensions.AI options, which each provider's adapter
/// maps to its own wire format. What <see cref="ChatOptions"/> has no property for travels in
/// <see cref="ChatOptions.AdditionalProperties"/> under the keys below, for the adapters that take it.
/// </summary>
internal static class CompletionOptions
{
    public const double DefaultTemperature = 0.8;

    /// <summary><c>strict</c> on a <c>json_schema</c> response format (the key the OpenAI adapter reads).</summary>
    public const string StrictKey = "strict";

    public const string LogprobsKey = "logprobs";
    public const string TopLogprobsKey = "top_logprobs";
    public const string EndUserKey = "user";

    /// <summary>The exact <c>reasoning_effort</c> name, for upstreams that take OpenAI's (<see cref="ChatOptions.Reasoning"/> carries the nearest level for the others).</summary>
    public const string ReasoningEffortKey = "reasoning_effort";

    public static ChatOptions For(CreateCompletionCommand request, Agent agent, int maxTokens)
    {
        var options = new ChatOptions
        {
            Temperature = (float)(request.Temperature ?? agent.Temperature ?? DefaultTemperature),
            TopP = (float?)(request.TopP ?? agent.TopP),
            MaxOutputTokens = maxTokens,
            StopSequences = request.Stop?.ToList(),
            ResponseFormat = ResponseFormatOf(request),
            Seed = request.Seed,
            FrequencyPenalty = (float?)request.FrequencyPenalty,
            PresencePenalty = (float?)request.PresencePenalty,
            Reasoning = request.ReasoningEffort is { } effort ? new ReasoningOptions { Effort = EffortOf(effort) } : null,
        };

        if (request.Tools is { Count: > 0 } tools)
        {
            options.Tools = tools.Select(ClientFunction.From).ToList<AITool>();
            options.ToolMode = ToolModeOf(request.ToolChoice);
            options.AllowMultipleToolCalls = request.ParallelToolCalls;
        }

        var extra = new AdditionalPropertiesDictionary();
        if (request.JsonSchema?.Strict is { } strict && request.ResponseFormat == "json_schema")
        {
            extra[StrictKey] = strict;
        }

        if (request.Logprobs is { } logprobs)
        {
            extra[LogprobsKey] = logprobs;
        }

        if (request.TopLogprobs is { } topLogprobs)
        {
            extra[TopLogprobsKey] = topLogprobs;
        }

        if (request.User is { } user)
        {
            extra[EndUserKey] = user;
        }

        if (request.ReasoningEffort is { } effortName)
        {
            extra[ReasoningEffortKey] = effortName;
        }

        options.AdditionalProperties = extra.Count == 0 ? null : extra;
        return options;
    }

    private static ChatResponseFormat? ResponseFormatOf(CreateCompletionCommand request) => request.ResponseFormat switch
    {
        "json_object" => ChatResponseFormat.Json,
        "json_schema" => ChatResponseFormat.ForJsonSchema(request.JsonSchema!.Schema!.Value.Clone(), request.JsonSchema.Name, request.JsonSchema.Description),
        "text" => ChatResponseFormat.Text,
        _ => null,
    };

    private static ChatToolMode? ToolModeOf(CompletionToolChoice? choice) => choice?.Mode switch
    {
        CompletionToolChoice.None => ChatToolMode.None,
        CompletionToolChoice.Required => ChatToolMode.RequireAny,
        CompletionToolChoice.Function => ChatToolMode.RequireSpecific(choice.FunctionName!),
        CompletionToolChoice.Auto => ChatToolMode.Auto,
        _ => null,
    };

    /// <summary>OpenAI's effort names on Microsoft.Extensions.AI's scale (<c>minimal</c> is its lowest, <c>low</c>).</summary>
    private static ReasoningEffort EffortOf(string effort) => effort switch
    {
        "none" => ReasoningEffort.None,
        "minimal" or "low" => ReasoningEffort.Low,
        "medium" => ReasoningEffort.Medium,
        "high" => ReasoningEffort.High,
        _ => ReasoningEffort.ExtraHigh,
    };
}
