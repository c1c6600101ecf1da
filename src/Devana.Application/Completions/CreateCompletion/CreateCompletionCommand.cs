using System.Text.Json;
using Devana.Application.Completions.Common;
using MediatR;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// <c>POST /completions</c> (docs/api.md#completions), already normalised by the API: <c>stop</c> as a list,
/// <c>content</c> parts joined, <c>max_completion_tokens</c> and <c>client_model</c> folded in.
/// </summary>
public sealed record CreateCompletionCommand : IRequest<CompletionOutcome>
{
    public string? Model { get; init; }

    public IReadOnlyList<CompletionMessage>? Messages { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? MaxTokens { get; init; }

    public int? N { get; init; }

    public IReadOnlyList<string>? Stop { get; init; }

    public bool Stream { get; init; }

    public bool IncludeUsage { get; init; }

    public string? ConversationId { get; init; }

    public string? Lang { get; init; }

    public IReadOnlyList<string>? Files { get; init; }

    public string? ClientModel { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary><c>text</c>, <c>json_object</c> or <c>json_schema</c>; null when not given; empty when given without a type.</summary>
    public string? ResponseFormat { get; init; }

    /// <summary><c>response_format.json_schema</c>, when <see cref="ResponseFormat"/> is <c>json_schema</c>.</summary>
    public CompletionJsonSchema? JsonSchema { get; init; }

    /// <summary>The caller's functions the LLM may ask to call; Devana declares them and never runs them.</summary>
    public IReadOnlyList<CompletionTool>? Tools { get; init; }

    public CompletionToolChoice? ToolChoice { get; init; }

    public bool? ParallelToolCalls { get; init; }

    public long? Seed { get; init; }

    public double? FrequencyPenalty { get; init; }

    public double? PresencePenalty { get; init; }

    public bool? Logprobs { get; init; }

    public int? TopLogprobs { get; init; }

    /// <summary><c>none</c>, <c>minimal</c>, <c>low</c>, <c>medium</c>, <c>high</c> or <c>xhigh</c>.</summary>
    public string? ReasoningEffort { get; init; }

    /// <summary>The caller's own end-user id: passed upstream and kept on the usage ledger.</summary>
    public string? User { get; init; }

    /// <summary>
    /// The caller's word on the agent's tool calls an answer stopped for (docs/tools.md#confirmation); with it,
    /// <see cref="Messages"/> is empty and <see cref="ConversationId"/> names the conversation.
    /// </summary>
    public IReadOnlyList<CompletionToolConfirmation>? ToolConfirmations { get; init; }
}

/// <summary>A <c>tool_confirmations[]</c> item: <c>{"call_id": "call_…", "approve": true}</c>.</summary>
public sealed record CompletionToolConfirmation(string? CallId, bool? Approve);

/// <summary>
/// One request message: <c>role</c> as sent (checked by the validator), its text, and — by role — the
/// assistant's <see cref="ToolCalls"/>, the tool result's <see cref="ToolCallId"/>, the user's <see cref="Images"/>.
/// </summary>
public sealed record CompletionMessage(string? Role, string? Content)
{
    public IReadOnlyList<CompletionToolCall>? ToolCalls { get; init; }

    public string? ToolCallId { get; init; }

    public IReadOnlyList<CompletionImage>? Images { get; init; }
}

/// <summary>An assistant message's <c>tool_calls[]</c> item as sent.</summary>
public sealed record CompletionToolCall(string? Id, string? Type, string? Name, string? Arguments);

/// <summary>A <c>tools[]</c> item: <c>{"type": "function", "function": {name, description, parameters, strict}}</c>.</summary>
public sealed record CompletionTool(string? Type, string? Name, string? Description, JsonElement? Parameters, bool? Strict);

/// <summary><c>tool_choice</c>: <c>none</c>, <c>auto</c>, <c>required</c>, or <c>function</c> with <see cref="FunctionName"/>.</summary>
public sealed record CompletionToolChoice(string Mode, string? FunctionName = null)
{
    public const string None = "none";
    public const string Auto = "auto";
    public const string Required = "required";
    public const string Function = "function";
}

/// <summary>An <c>image_url</c> content part: an https URL or a <c>data:image/…;base64,</c> URL.</summary>
public sealed record CompletionImage(string Url, string? Detail);

/// <summary><c>response_format.json_schema</c>: the schema the answer must follow.</summary>
public sealed record CompletionJsonSchema(string? Name, string? Description, JsonElement? Schema, bool? Strict);
