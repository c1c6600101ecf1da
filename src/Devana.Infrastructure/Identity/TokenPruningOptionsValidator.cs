using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.Identity;

/// <summary>Checks <see cref="TokenPruningOptions"/> at start-up (it decides whether the pruning service is registered at all).</summary>
internal sealed class TokenPruningOptionsValidator : IValidateOptions<TokenPruningOptions>
{
    private const string Section = TokenPruningOptions.Section;

    public ValidateOptionsResult Validate(string? name, TokenPruningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.IntervalMinutes >= 1 && options.MinimumAgeHours >= 0 && double.IsFinite(options.IntervalMinutes) && double.IsFinite(options.MinimumAgeHours)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"'{Section}:IntervalMinutes' must be at least 1 and '{Section}:MinimumAgeHours' at least 0 (found {options.IntervalMinutes} and {options.MinimumAgeHours}).");
    }
}
