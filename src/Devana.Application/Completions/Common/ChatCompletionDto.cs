using System.Text.Json.Serialization;
using Devana.Application.Conversations.Common;

namespace Devana.Application.Completions.Common;

/// <summary>The response of CONTRACT.md §2.1: OpenAI's chat.completion plus <c>conversation_id</c> and <c>client_model</c>.</summary>
public sealed record ChatCompletionDto(
    string Id,
    long Created,
    string Model,
    string ConversationId,
    IReadOnlyList<ChatChoiceDto> Choices,
    UsageDto Usage,
    string ClientModel)
{
    public string Object => "chat.completion";

    /// <summary>What the answer drew on (<c>debug.sources</c>); absent when no file was used.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CompletionDebugDto? Debug { get; init; }
}

/// <summary><c>debug</c>: the files whose text reached the prompt.</summary>
public sealed record CompletionDebugDto(IReadOnlyList<SourceDto> Sources);

public sealed record SourceDto(string FileId, string Filename, string Excerpt);

public sealed record ChatChoiceDto(int Index, ChatMessageDto Message, string FinishReason);

public sealed record ChatMessageDto(string Role, string Content);

/// <summary>One SSE event of CONTRACT.md §2.2.</summary>
public sealed record ChatCompletionChunkDto(
    string Id,
    long Created,
    string Model,
    string ConversationId,
    IReadOnlyList<ChunkChoiceDto> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UsageDto? Usage)
{
    public string Object => "chat.completion.chunk";

    /// <summary>On the final chunk: <c>debug.sources</c>, as on a whole response.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CompletionDebugDto? Debug { get; init; }
}

/// <summary><c>finish_reason</c> is null until the choice's last chunk.</summary>
public sealed record ChunkChoiceDto(int Index, ChunkDeltaDto Delta, string? FinishReason);

/// <summary>The first chunk of a choice has the role; the others the content; the last neither.</summary>
public sealed record ChunkDeltaDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content)
{
    public static readonly ChunkDeltaDto Empty = new(null, null);
}
