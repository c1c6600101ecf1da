using System.Text.Json;
using System.Text.Json.Serialization;
using Devana.Application.Completions.CreateCompletion;

namespace Devana.Api.Completions;

/// <summary>
/// The body of <c>POST /completions</c> as OpenAI SDKs send it. Shapes the JSON reader cannot take
/// (a number for a string, an image part) are 400s naming the field; value rules live in
/// <c>CreateCompletionCommandValidator</c>.
/// </summary>
// The body's rules are the command's validator (FluentValidation, in the MediatR pipeline). The request has no MVC
// validation attributes, so MVC's own walk over its properties (2.4% of a completion's CPU) found nothing; it is
// skipped (SuppressChildValidationMetadataProvider, in AddApi). A body that cannot be read is still a 400 through
// ModelState: the JSON reader's errors are not validation.
public sealed class ChatCompletionRequest
{
    /// <summary>Required: the id of an agent the caller may use (unknown: 404 <c>model_not_found</c>; private to someone else: 403 <c>access_denied</c>).</summary>
    public string? Model { get; init; }

    /// <summary>Required: the conversation so far, oldest first; roles <c>system</c> (or <c>developer</c>), <c>user</c>, <c>assistant</c>, <c>tool</c>. The last must be <c>user</c> or <c>tool</c>.</summary>
    public List<ChatMessageRequest>? Messages { get; init; }

    /// <summary>0 to 1 (not OpenAI's 0 to 2). Default: the agent's, else 0.8.</summary>
    public double? Temperature { get; init; }

    /// <summary>Nucleus sampling, 0 to 1. Default: the agent's.</summary>
    public double? TopP { get; init; }

    /// <summary>The most tokens the answer may have: 1 to the LLM's <c>max_output_tokens</c>.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>OpenAI's newer name for <c>max_tokens</c>; the same rule.</summary>
    public int? MaxCompletionTokens { get; init; }

    /// <summary>How many choices to generate: 1 to 8, default 1.</summary>
    public int? N { get; init; }

    /// <summary>A string or up to 4 strings at which the LLM stops.</summary>
    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Stop { get; init; }

    /// <summary><c>true</c>: the answer comes as Server-Sent Events (<c>chat.completion.chunk</c> events, then <c>[DONE]</c>).</summary>
    public bool? Stream { get; init; }

    /// <summary>Only with <c>stream: true</c>: <c>include_usage</c> adds a last chunk with the token usage.</summary>
    public StreamOptionsRequest? StreamOptions { get; init; }

    /// <summary>Continues one of the caller's conversations (unknown or someone else's: 404 <c>conversation_not_found</c>; still answering another turn: 409 <c>conversation_busy</c>). Absent: a new conversation.</summary>
    public string? ConversationId { get; init; }

    /// <summary>An ISO 639-1 code; the answer is asked for in that language. Default: the agent's.</summary>
    public string? Lang { get; init; }

    /// <summary>Ids of the caller's own processed files whose relevant parts go into the prompt.</summary>
    public List<string>? Files { get; init; }

    /// <summary>The original Devana API's camelCase field (the one exception to snake_case, docs/api.md#conventions).</summary>
    [JsonPropertyName("clientModel")]
    public string? ClientModel { get; init; }

    /// <summary>The same as <c>clientModel</c>: an LLM id of <c>GET /v1/llms</c> overriding the agent's LLM (outside the agent's <c>allowed_models</c>: 403 <c>model_not_allowed</c>).</summary>
    [JsonPropertyName("client_model")]
    public string? ClientModelSnakeCase { get; init; }

    /// <summary>Up to 16 string keys (keys up to 64, values up to 512 characters), stored on the conversation.</summary>
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary><c>{"type": "text" | "json_object" | "json_schema", "json_schema"?}</c>, passed to the LLM.</summary>
    public ResponseFormatRequest? ResponseFormat { get; init; }

    /// <summary>OpenAI function tools (up to 128): the caller's functions, which Devana never runs; an agent's own tools are offered beside them.</summary>
    public List<ToolRequest>? Tools { get; init; }

    /// <summary><c>"none"</c>, <c>"auto"</c>, <c>"required"</c> or <c>{"type": "function", "function": {"name": …}}</c>.</summary>
    [JsonConverter(typeof(ToolChoiceConverter))]
    public CompletionToolChoice? ToolChoice { get; init; }

    /// <summary>Whether the LLM may call several tools in one turn; passed to the LLM.</summary>
    public bool? ParallelToolCalls { get; init; }

    /// <summary>Passed to the LLMs that take it, for repeatable sampling.</summary>
    public long? Seed { get; init; }

    /// <summary>-2 to 2; passed to the LLMs that take it.</summary>
    public double? FrequencyPenalty { get; init; }

    /// <summary>-2 to 2; passed to the LLMs that take it.</summary>
    public double? PresencePenalty { get; init; }

    /// <summary>Return the log probabilities of the answer's tokens (LLMs that give them).</summary>
    public bool? Logprobs { get; init; }

    /// <summary>0 to 20 most likely alternatives per token; needs <c>logprobs: true</c>.</summary>
    public int? TopLogprobs { get; init; }

    /// <summary>For reasoning LLMs that take it (e.g. <c>low</c>, <c>medium</c>, <c>high</c>).</summary>
    public string? ReasoningEffort { get; init; }

    /// <summary>The end user's id, passed to the LLM for abuse monitoring.</summary>
    public string? User { get; init; }

    /// <summary>Devana's: approve or refuse the agent's tool calls an answer stopped for (docs/tools.md#confirmation).</summary>
    public List<ToolConfirmationRequest>? ToolConfirmations { get; init; }

    /// <summary>OpenAI's deprecated function calling: refused, so that a caller who sends it is told to send <c>tools</c>.</summary>
    [RefusedField("is OpenAI's deprecated function calling, which Devana does not take: send tools instead.")]
    public JsonElement? Functions { get; init; }

    /// <summary>OpenAI's deprecated function calling: refused, so that a caller who sends it is told to send <c>tool_choice</c>.</summary>
    [RefusedField("is OpenAI's deprecated function calling, which Devana does not take: send tool_choice instead.")]
    public JsonElement? FunctionCall { get; init; }

    /// <summary>Only <c>["text"]</c>: Devana answers in text.</summary>
    [JsonConverter(typeof(TextModalityConverter))]
    public List<string>? Modalities { get; init; }

    /// <summary>OpenAI's audio answer: refused, since Devana answers in text only.</summary>
    [RefusedField("is not taken: Devana answers in text only.")]
    public JsonElement? Audio { get; init; }

    /// <summary>Other fields OpenAI SDKs may send (<c>logit_bias</c>, <c>store</c>, …); Devana accepts and ignores them.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; init; }

    public CreateCompletionCommand ToCommand() => new()
    {
        Model = Model,
        // With tool_confirmations, messages may be omitted: it is then empty (and must be, if given).
        Messages = Messages?.Select(m => m.ToMessage()).ToList() ?? (ToolConfirmations is null ? null : []),
        Temperature = Temperature,
        TopP = TopP,
        MaxTokens = MaxTokens ?? MaxCompletionTokens,
        N = N,
        Stop = Stop,
        Stream = Stream ?? false,
        IncludeUsage = StreamOptions?.IncludeUsage ?? false,
        ConversationId = ConversationId,
        Lang = Lang,
        Files = Files,
        ClientModel = ClientModel ?? ClientModelSnakeCase,
        Metadata = Metadata,
        ResponseFormat = ResponseFormat is null ? null : ResponseFormat.Type ?? string.Empty,
        JsonSchema = ResponseFormat?.JsonSchema is { } schema ? new CompletionJsonSchema(schema.Name, schema.Description, schema.Schema, schema.Strict) : null,
        Tools = Tools?.Select(t => new CompletionTool(t.Type, t.Function?.Name, t.Function?.Description, t.Function?.Parameters, t.Function?.Strict)).ToList(),
        ToolChoice = ToolChoice,
        ParallelToolCalls = ParallelToolCalls,
        Seed = Seed,
        FrequencyPenalty = FrequencyPenalty,
        PresencePenalty = PresencePenalty,
        Logprobs = Logprobs,
        TopLogprobs = TopLogprobs,
        ReasoningEffort = ReasoningEffort,
        User = User,
        ToolConfirmations = ToolConfirmations?.Select(c => new CompletionToolConfirmation(c.CallId, c.Approve)).ToList(),
    };
}

/// <summary>A <c>tool_confirmations[]</c> item.</summary>
public sealed class ToolConfirmationRequest
{
    public string? CallId { get; init; }

    public bool? Approve { get; init; }
}

public sealed class ChatMessageRequest
{
    /// <summary><c>system</c> (or <c>developer</c>), <c>user</c>, <c>assistant</c> or <c>tool</c>.</summary>
    public string? Role { get; init; }

    /// <summary>A string, or OpenAI's array of text parts (joined) and <c>image_url</c> parts.</summary>
    [JsonConverter(typeof(MessageContentConverter))]
    public MessageContent? Content { get; init; }

    /// <summary>An optional name of the participant.</summary>
    public string? Name { get; init; }

    /// <summary>An <c>assistant</c> message's calls of the caller's functions, as the LLM made them.</summary>
    public List<ToolCallRequest>? ToolCalls { get; init; }

    /// <summary>Required in a <c>tool</c> message: the id of the call it answers.</summary>
    public string? ToolCallId { get; init; }

    public CompletionMessage ToMessage() => new(Role, Content?.Text)
    {
        ToolCalls = ToolCalls?.Select(c => new CompletionToolCall(c.Id, c.Type, c.Function?.Name, c.Function?.Arguments)).ToList(),
        ToolCallId = ToolCallId,
        Images = Content?.Images is { Count: > 0 } images ? images : null,
    };
}

/// <summary>A message's content: its text (parts joined by newlines) and its images.</summary>
public sealed record MessageContent(string Text, IReadOnlyList<CompletionImage> Images);

public sealed class ToolCallRequest
{
    public string? Id { get; init; }

    public string? Type { get; init; }

    public FunctionCallRequest? Function { get; init; }
}

public sealed class FunctionCallRequest
{
    public string? Name { get; init; }

    /// <summary>The JSON text of the arguments, as OpenAI sends it.</summary>
    public string? Arguments { get; init; }
}

/// <summary>A <c>tools[]</c> item.</summary>
public sealed class ToolRequest
{
    public string? Type { get; init; }

    public FunctionToolRequest? Function { get; init; }
}

public sealed class FunctionToolRequest
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>A JSON schema of the arguments (an object).</summary>
    public JsonElement? Parameters { get; init; }

    public bool? Strict { get; init; }
}

public sealed class StreamOptionsRequest
{
    public bool? IncludeUsage { get; init; }
}

public sealed class ResponseFormatRequest
{
    public string? Type { get; init; }

    public JsonSchemaRequest? JsonSchema { get; init; }
}

/// <summary><c>response_format.json_schema</c> (structured outputs).</summary>
public sealed class JsonSchemaRequest
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public JsonElement? Schema { get; init; }

    public bool? Strict { get; init; }
}
