using FluentValidation;

namespace Devana.Application.Quotas.SetQuota;

internal sealed class SetQuotaCommandValidator : AbstractValidator<SetQuotaCommand>
{
    public SetQuotaCommandValidator()
    {
        RuleFor(c => c.RequestsPerMinute).GreaterThanOrEqualTo(0).WithMessage(Message("requests_per_minute"));
        RuleFor(c => c.RequestsPerDay).GreaterThanOrEqualTo(0).WithMessage(Message("requests_per_day"));
        RuleFor(c => c.TokensPerDay).GreaterThanOrEqualTo(0).WithMessage(Message("tokens_per_day"));
        RuleFor(c => c.TokensPerMonth).GreaterThanOrEqualTo(0).WithMessage(Message("tokens_per_month"));
    }

    private static string Message(string field) => $"{field} must be an integer of at least 0 (0 or absent means no limit).";
}
