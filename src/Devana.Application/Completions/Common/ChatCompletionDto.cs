using System.Text.Json.Serialization;
using Devana.Application.Conversations.Common;
using Devana.Application.Llm.Common;

namespace Devana.Application.Completions.Common;

/// <summary>The completion response (docs/api.md#completions): OpenAI's chat.completion plus <c>conversation_id</c> and <c>client_model</c>.</summary>
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

    /// <summary>When the answer stopped for a confirmation: <c>devana.pending_tool_calls</c> (docs/tools.md#confirmation).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DevanaCompletionDto? Devana { get; init; }
}

/// <summary>Devana's extension of a whole response, which OpenAI's SDKs ignore.</summary>
public sealed record DevanaCompletionDto(IReadOnlyList<PendingToolCallDto> PendingToolCalls);

/// <summary>
/// A call of an agent tool waiting for the caller's word (docs/tools.md#confirmation): the caller approves or
/// refuses it by its <see cref="Id"/> in <c>tool_confirmations</c>; a call whose tool does not require
/// confirmation (<see cref="RequiresConfirmation"/> false) only waits with the others of its round.
/// </summary>
public sealed record PendingToolCallDto(string Id, string Name, string Arguments, bool RequiresConfirmation);

/// <summary><c>debug</c>: the files whose text reached the prompt.</summary>
public sealed record CompletionDebugDto(IReadOnlyList<SourceDto> Sources);

public sealed record SourceDto(string FileId, string Filename, string Excerpt);

public sealed record ChatChoiceDto(int Index, ChatMessageDto Message, string FinishReason)
{
    /// <summary>When <c>logprobs</c> was asked for and the upstream gave them.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LogprobsDto? Logprobs { get; init; }
}

/// <summary>OpenAI's <c>choices[].logprobs</c>: one entry per output token.</summary>
public sealed record LogprobsDto(IReadOnlyList<TokenLogprobDto> Content)
{
    public static LogprobsDto? From(IReadOnlyList<TokenLogprob>? logprobs) =>
        logprobs is { Count: > 0 } ? new LogprobsDto(logprobs.Select(TokenLogprobDto.From).ToList()) : null;
}

public sealed record TokenLogprobDto(string Token, double Logprob, IReadOnlyList<int>? Bytes, IReadOnlyList<TopLogprobDto> TopLogprobs)
{
    public static TokenLogprobDto From(TokenLogprob token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new TokenLogprobDto(token.Token, token.Logprob, token.Bytes, token.TopLogprobs.Select(t => new TopLogprobDto(t.Token, t.Logprob, t.Bytes)).ToList());
    }
}

public sealed record TopLogprobDto(string Token, double Logprob, IReadOnlyList<int>? Bytes);

/// <summary>The answer's message: <c>content</c> is null when the LLM only called tools.</summary>
public sealed record ChatMessageDto(string Role, string? Content)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ToolCallDto>? ToolCalls { get; init; }
}

/// <summary>One SSE event of a streamed completion (docs/completions.md#streaming).</summary>
public sealed record ChatCompletionChunkDto(
    string Id,
    long Created,
    string Model,
    string ConversationId,
    IReadOnlyList<ChunkChoiceDto> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UsageDto? Usage)
{
    public string Object => "chat.completion.chunk";

    /// <summary>The LLM writing the answer (a fallback's, when the first LLM failed); absent on the role chunks sent before any LLM answered.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientModel { get; init; }

    /// <summary>On the final chunk: <c>debug.sources</c>, as on a whole response.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CompletionDebugDto? Debug { get; init; }

    /// <summary>On progress chunks of a tool loop: <c>devana.tool_call</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DevanaChunkDto? Devana { get; init; }
}

/// <summary>
/// Devana's extension of a chunk, which OpenAI's SDKs ignore: what a tool Devana runs for the agent is doing;
/// on the final chunk of an answer that stopped for a confirmation, the calls waiting for it.
/// </summary>
public sealed record DevanaChunkDto([property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ToolCallProgressDto? ToolCall)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PendingToolCallDto>? PendingToolCalls { get; init; }
}

/// <summary>
/// <c>devana.tool_call</c> (docs/tools.md): a call of an agent tool, <c>running</c> when it starts, then
/// <c>completed</c> or <c>failed</c> with its duration.
/// </summary>
public sealed record ToolCallProgressDto(string Id, string Name, string Arguments, string Status)
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? DurationMs { get; init; }
}

/// <summary><c>finish_reason</c> is null until the choice's last chunk.</summary>
public sealed record ChunkChoiceDto(int Index, ChunkDeltaDto Delta, string? FinishReason)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LogprobsDto? Logprobs { get; init; }
}

/// <summary>The first chunk of a choice has the role; the others the content or tool-call pieces; the last none.</summary>
public sealed record ChunkDeltaDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content)
{
    public static readonly ChunkDeltaDto Empty = new(null, null);

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ToolCallDeltaDto>? ToolCalls { get; init; }
}

/// <summary>
/// A piece of a streamed tool call (OpenAI's shape): the first piece of call <see cref="Index"/> has its
/// <c>id</c>, <c>type</c> and <c>function.name</c>; the next ones add to <c>function.arguments</c>.
/// </summary>
public sealed record ToolCallDeltaDto(
    int Index,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type,
    FunctionDeltaDto Function);

public sealed record FunctionDeltaDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    string Arguments);
