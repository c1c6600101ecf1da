using Devana.Domain.Quotas;

namespace Devana.Application.Quotas.Common;

/// <summary>
/// What the <c>x-ratelimit-*</c> headers of a completion say: the tightest request limit and the tightest
/// token limit that apply, as of the moment the request was admitted (its own reservation counted).
/// A null member means no limit of that kind applies, and its headers are left out.
/// </summary>
public sealed record RateLimitSnapshot(RateLimitStatus? Requests, RateLimitStatus? Tokens)
{
    public static readonly RateLimitSnapshot None = new(null, null);
}
