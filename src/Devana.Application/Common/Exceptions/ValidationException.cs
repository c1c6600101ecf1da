using FluentValidation.Results;

namespace Devana.Application.Common.Exceptions;

/// <summary>
/// One or more input rules failed. <see cref="Errors"/> is keyed by snake_case field path (the
/// <c>ValidationProblemDetails</c> shape); the first failure names the envelope's <c>param</c>.
/// </summary>
public sealed class ValidationException : DevanaException
{
    public ValidationException(IReadOnlyList<ValidationFailure> failures)
        : base(CodeOf(failures), MessageOf(failures), ParamOf(failures))
    {
        Errors = failures
            .GroupBy(f => FieldPath.ToSnakeCase(f.PropertyName), f => f.ErrorMessage)
            .ToDictionary(g => g.Key, g => g.ToArray());
    }

    public IDictionary<string, string[]> Errors { get; }

    private static string CodeOf(IReadOnlyList<ValidationFailure> failures)
    {
        var code = failures.Count > 0 ? failures[0].ErrorCode : null;
        // FluentValidation's own codes ("NotEmptyValidator") are not contract codes.
        return code switch
        {
            ErrorCodes.MissingRequiredParameter or ErrorCodes.UnknownParameterValue or ErrorCodes.InvalidJson or ErrorCodes.HostNotAllowed => code,
            "NotNullValidator" or "NotEmptyValidator" => ErrorCodes.MissingRequiredParameter,
            _ => ErrorCodes.InvalidValue,
        };
    }

    private static string MessageOf(IReadOnlyList<ValidationFailure> failures) =>
        failures.Count == 0 ? "The request is invalid." : string.Join(" ", failures.Select(f => f.ErrorMessage).Distinct());

    private static string? ParamOf(IReadOnlyList<ValidationFailure> failures) =>
        failures.Count == 0 ? null : FieldPath.ToSnakeCase(failures[0].PropertyName);
}
