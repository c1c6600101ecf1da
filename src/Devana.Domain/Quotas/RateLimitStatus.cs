namespace Devana.Domain.Quotas;

/// <summary>The tightest limit of one metric for a request, as the <c>x-ratelimit-*</c> headers report it.</summary>
/// <param name="Limit">The limit (<c>x-ratelimit-limit-*</c>).</param>
/// <param name="Remaining">What is left once this request is counted (<c>x-ratelimit-remaining-*</c>).</param>
/// <param name="ResetsIn">Until that limit's window resets (<c>x-ratelimit-reset-*</c>).</param>
public sealed record RateLimitStatus(long Limit, long Remaining, TimeSpan ResetsIn);
