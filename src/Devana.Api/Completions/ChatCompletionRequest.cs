using System.Text.Json;
using System.Text.Json.Serialization;
using Devana.Application.Completions.CreateCompletion;

namespace Devana.Api.Completions;

/// <summary>
/// The body of <c>POST /completions</c> as OpenAI SDKs send it. Shapes the JSON reader cannot take
/// (a number for a string, an image part) are 400s naming the field; value rules live in
/// <c>CreateCompletionCommandValidator</c>.
/// </summary>
public sealed class ChatCompletionRequest
{
    public string? Model { get; init; }

    public List<ChatMessageRequest>? Messages { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? MaxTokens { get; init; }

    public int? MaxCompletionTokens { get; init; }

    public int? N { get; init; }

    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Stop { get; init; }

    public bool? Stream { get; init; }

    public StreamOptionsRequest? StreamOptions { get; init; }

    public string? ConversationId { get; init; }

    public string? Lang { get; init; }

    public List<string>? Files { get; init; }

    /// <summary>The original Devana API's camelCase field (the one exception to snake_case, docs/api.md#conventions).</summary>
    [JsonPropertyName("clientModel")]
    public string? ClientModel { get; init; }

    [JsonPropertyName("client_model")]
    public string? ClientModelSnakeCase { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }

    public ResponseFormatRequest? ResponseFormat { get; init; }

    public List<ToolRequest>? Tools { get; init; }

    /// <summary><c>"none"</c>, <c>"auto"</c>, <c>"required"</c> or <c>{"type": "function", "function": {"name": …}}</c>.</summary>
    [JsonConverter(typeof(ToolChoiceConverter))]
    public CompletionToolChoice? ToolChoice { get; init; }

    public bool? ParallelToolCalls { get; init; }

    public long? Seed { get; init; }

    public double? FrequencyPenalty { get; init; }

    public double? PresencePenalty { get; init; }

    public bool? Logprobs { get; init; }

    public int? TopLogprobs { get; init; }

    public string? ReasoningEffort { get; init; }

    public string? User { get; init; }

    /// <summary>Devana's: approve or refuse the agent's tool calls an answer stopped for (docs/tools.md#confirmation).</summary>
    public List<ToolConfirmationRequest>? ToolConfirmations { get; init; }

    /// <summary>OpenAI SDKs may send these; Devana accepts and ignores them.</summary>
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
    public string? Role { get; init; }

    /// <summary>A string, or OpenAI's array of text parts (joined) and <c>image_url</c> parts.</summary>
    [JsonConverter(typeof(MessageContentConverter))]
    public MessageContent? Content { get; init; }

    public string? Name { get; init; }

    public List<ToolCallRequest>? ToolCalls { get; init; }

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
