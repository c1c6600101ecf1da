using System.Globalization;
using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;

namespace Devana.Api.Completions;

/// <summary>
/// The <c>x-ratelimit-*</c> headers of docs/quotas.md#rate-limit-headers, as OpenAI names them: for requests and for tokens,
/// the tightest limit that applies (<c>limit</c>), what is left of it once this request is counted
/// (<c>remaining</c>), and when its window resets (<c>reset</c>, e.g. <c>12s</c>, <c>3h2m1s</c>).
/// A kind with no limit gets no headers.
/// </summary>
public static class RateLimitHeaders
{
    public const string LimitRequests = "x-ratelimit-limit-requests";
    public const string RemainingRequests = "x-ratelimit-remaining-requests";
    public const string ResetRequests = "x-ratelimit-reset-requests";
    public const string LimitTokens = "x-ratelimit-limit-tokens";
    public const string RemainingTokens = "x-ratelimit-remaining-tokens";
    public const string ResetTokens = "x-ratelimit-reset-tokens";

    public static void Write(IHeaderDictionary headers, RateLimitSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(snapshot);
        Write(headers, snapshot.Requests, LimitRequests, RemainingRequests, ResetRequests);
        Write(headers, snapshot.Tokens, LimitTokens, RemainingTokens, ResetTokens);
    }

    private static void Write(IHeaderDictionary headers, RateLimitStatus? status, string limit, string remaining, string reset)
    {
        if (status is null)
        {
            return;
        }

        headers[limit] = status.Limit.ToString(CultureInfo.InvariantCulture);
        headers[remaining] = status.Remaining.ToString(CultureInfo.InvariantCulture);
        headers[reset] = ResetDuration.Format(status.ResetsIn);
    }
}
