using System.Globalization;
using Microsoft.Extensions.Options;

namespace Devana.Api.Completions;

/// <summary>Checks <see cref="StreamingOptions"/> when the host starts: the keep-alive interval is more than 0 and at most 3600 seconds.</summary>
internal sealed class StreamingOptionsValidator : IValidateOptions<StreamingOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return double.IsFinite(options.KeepAliveSeconds) && options.KeepAliveSeconds is > 0 and <= 3600
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Configuration key '{StreamingOptions.Section}:KeepAliveSeconds' has the value '{options.KeepAliveSeconds.ToString(CultureInfo.InvariantCulture)}', which is not a number of seconds above 0 and at most 3600.");
    }
}
