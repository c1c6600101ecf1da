using FluentValidation;

namespace Devana.Application.Usage.GetUsageReport;

internal sealed class GetUsageReportQueryValidator : AbstractValidator<GetUsageReportQuery>
{
    public GetUsageReportQueryValidator()
    {
        RuleFor(q => q.From)
            .Must(value => ReportDates.TryParse(value, out _)).When(q => q.From is not null)
            .WithMessage(q => $"from '{q.From}' is not a date: use YYYY-MM-DD (a UTC day).");
        RuleFor(q => q.To)
            .Must(value => ReportDates.TryParse(value, out _)).When(q => q.To is not null)
            .WithMessage(q => $"to '{q.To}' is not a date: use YYYY-MM-DD (a UTC day).");
        RuleFor(q => q.GroupBy)
            .Must(value => value is "principal" or "agent" or "llm" or "end_user").When(q => q.GroupBy is not null)
            .WithErrorCode(Common.Exceptions.ErrorCodes.UnknownParameterValue)
            .WithMessage(q => $"group_by '{q.GroupBy}' is not supported; use principal, agent, llm or end_user.");
    }
}
