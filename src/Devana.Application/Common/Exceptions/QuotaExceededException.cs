using Devana.Domain.Quotas;

namespace Devana.Application.Common.Exceptions;

/// <summary>
/// 403 <c>quota_exceeded</c>: the request would go over a limit. The message names the limit, its level
/// and when it resets (ISO 8601, UTC); nothing of the request was stored or counted.
/// </summary>
public sealed class QuotaExceededException : DevanaException
{
    public QuotaExceededException(QuotaBreach breach)
        : base(ErrorCodes.QuotaExceeded, breach?.Message ?? throw new ArgumentNullException(nameof(breach)))
    {
        Breach = breach;
    }

    public QuotaBreach Breach { get; }
}
