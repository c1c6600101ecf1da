using System.Globalization;

namespace Devana.Domain.Quotas;

/// <summary>The limit a request would go over: which one, at which level, and when it resets.</summary>
/// <param name="Charge">The charge that did not fit.</param>
/// <param name="Used">The counter before the request (requests made, or tokens used and reserved).</param>
public sealed record QuotaBreach(QuotaCharge Charge, long Used)
{
    /// <summary>ISO 8601 in UTC, to the second: <c>2026-11-25T10:01:00Z</c>.</summary>
    public string ResetsAtText => Charge.ResetsAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>What the caller reads: the limit, its level and subject, the usage, and when it resets.</summary>
    public string Message
    {
        get
        {
            var limit = Charge.Kind.WireName();
            var of = Charge.Level switch
            {
                QuotaLevel.Workspace => $"the workspace quota ({Charge.Key.SubjectId})",
                QuotaLevel.Principal => $"the principal quota of {Charge.Key.SubjectId}",
                _ => $"the agent quota of {Charge.Key.SubjectId}",
            };
            string usage;
            if (Charge.Metric == QuotaMetric.Requests)
            {
                usage = $"{Used} requests were made in this window";
            }
            else if (Charge.Amount > Charge.Limit)
            {
                usage = $"this request alone reserves {Charge.Amount} tokens (its prompt plus max_tokens, times n); lower max_tokens or n";
            }
            else
            {
                usage = $"{Used} tokens are used or reserved in this window and this request reserves {Charge.Amount} (its prompt plus max_tokens, times n)";
            }

            return $"Quota exceeded: {limit} of {of} is {Charge.Limit} and {usage}. It resets at {ResetsAtText}.";
        }
    }
}
