using Devana.Application.Quotas.Common;

namespace Devana.Application.Completions.Common;

/// <summary>
/// What a completion produces: the whole response, or a stream of chunks that the API writes as SSE
/// while the LLM produces them. The stream runs the LLM call when enumerated, stores the answer when it
/// ends, and stores a partial answer with <c>finish_reason: "cancelled"</c> when its token is cancelled.
/// <see cref="RateLimits"/> is what the <c>x-ratelimit-*</c> headers report.
/// </summary>
public sealed record CompletionOutcome(ChatCompletionDto? Response, IAsyncEnumerable<ChatCompletionChunkDto>? Stream)
{
    public RateLimitSnapshot RateLimits { get; init; } = RateLimitSnapshot.None;

    public static CompletionOutcome Whole(ChatCompletionDto response) => new(response, null);

    public static CompletionOutcome Streamed(IAsyncEnumerable<ChatCompletionChunkDto> stream) => new(null, stream);
}
