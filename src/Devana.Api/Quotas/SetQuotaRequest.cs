using Devana.Application.Quotas.SetQuota;
using Devana.Domain.Quotas;

namespace Devana.Api.Quotas;

/// <summary>
/// The body of <c>PUT /v1/quotas/…</c>: the four limits, integers ≥ 0; absent or 0 is no limit. A
/// fraction, a string or a number too large is a 400 naming the field (the JSON reader refuses it);
/// a negative number is the validator's 400.
/// </summary>
public sealed record SetQuotaRequest
{
    public long? RequestsPerMinute { get; init; }

    public long? RequestsPerDay { get; init; }

    public long? TokensPerDay { get; init; }

    public long? TokensPerMonth { get; init; }

    public SetQuotaCommand ToCommand(QuotaLevel level, string? subjectId) =>
        new(level, subjectId, RequestsPerMinute, RequestsPerDay, TokensPerDay, TokensPerMonth);
}
