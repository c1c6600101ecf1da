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

    /// <summary>The original Devana API's camelCase field (CONTRACT.md §1's one exception).</summary>
    [JsonPropertyName("clientModel")]
    public string? ClientModel { get; init; }

    [JsonPropertyName("client_model")]
    public string? ClientModelSnakeCase { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }

    public ResponseFormatRequest? ResponseFormat { get; init; }

    /// <summary>OpenAI SDKs may send these; Devana accepts and ignores them.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; init; }

    public CreateCompletionCommand ToCommand() => new()
    {
        Model = Model,
        Messages = Messages?.Select(m => new CompletionMessage(m.Role, m.Content)).ToList(),
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
        ResponseFormat = ResponseFormat?.Type,
    };
}

public sealed class ChatMessageRequest
{
    public string? Role { get; init; }

    /// <summary>A string, or OpenAI's array of text parts (joined).</summary>
    [JsonConverter(typeof(MessageContentConverter))]
    public string? Content { get; init; }

    public string? Name { get; init; }
}

public sealed class StreamOptionsRequest
{
    public bool? IncludeUsage { get; init; }
}

public sealed class ResponseFormatRequest
{
    public string? Type { get; init; }
}
