using System.Globalization;
using Microsoft.Extensions.Options;

namespace Devana.Api.Infrastructure;

/// <summary>Checks <see cref="ShutdownOptions"/> when the host starts: the drain is 0 to 3600 seconds.</summary>
internal sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, ShutdownOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return double.IsFinite(options.DrainSeconds) && options.DrainSeconds is >= 0 and <= 3600
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Configuration key '{ShutdownOptions.Section}:DrainSeconds' has the value '{options.DrainSeconds.ToString(CultureInfo.InvariantCulture)}', which is not a number of seconds from 0 to 3600.");
    }
}
