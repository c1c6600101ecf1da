using System.Text.Json.Serialization;

namespace Devana.Application.Conversations.Common;

/// <summary>
/// The message object of docs/api.md#conversations, plus <c>status</c> (<c>completed</c> or <c>failed</c>; a failed
/// user turn got no answer) and <c>choice_index</c> (which of n choices an assistant message is).
/// </summary>
public sealed record MessageDto
{
    public string Id { get; init; } = null!;

    public string Object => "message";

    public string Role { get; init; } = null!;

    public string Content { get; init; } = string.Empty;

    public string? ClientModel { get; init; }

    public string? FinishReason { get; init; }

    public UsageDto? Usage { get; init; }

    public long? LatencyMs { get; init; }

    public IReadOnlyList<string> FileIds { get; init; } = [];

    /// <summary>An assistant message's calls of the caller's functions; absent when it made none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ToolCallDto>? ToolCalls { get; init; }

    /// <summary>A tool message's answered call.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ToolCallId { get; init; }

    public string Status { get; init; } = null!;

    public int ChoiceIndex { get; init; }

    public long CreatedAt { get; init; }
}

/// <summary>OpenAI's usage object.</summary>
public sealed record UsageDto(int PromptTokens, int CompletionTokens, int TotalTokens);
