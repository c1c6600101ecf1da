using Devana.Application.Completions.Common;
using MediatR;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// <c>POST /completions</c> (CONTRACT.md §2), already normalised by the API: <c>stop</c> as a list,
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

    /// <summary><c>text</c> or <c>json_object</c>; null when not given.</summary>
    public string? ResponseFormat { get; init; }
}

/// <summary>One request message: <c>role</c> as sent (checked by the validator) and its text.</summary>
public sealed record CompletionMessage(string? Role, string? Content);
