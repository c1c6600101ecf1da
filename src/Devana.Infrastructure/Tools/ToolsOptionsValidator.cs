using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.Tools;

/// <summary>Checks <see cref="ToolsOptions"/> when the host starts: each limit is a whole number, naming its key when it is not.</summary>
internal sealed class ToolsOptionsValidator : IValidateOptions<ToolsOptions>
{
    public ValidateOptionsResult Validate(string? name, ToolsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(failures, nameof(ToolsOptions.MaxOutputTokens), options.MaxOutputTokens, allowZero: false);
        Check(failures, nameof(ToolsOptions.MaxResponseBytes), options.MaxResponseBytes, allowZero: false);
        Check(failures, nameof(ToolsOptions.MaxRedirects), options.MaxRedirects, allowZero: true);
        Check(failures, nameof(ToolsOptions.McpListSeconds), options.McpListSeconds, allowZero: true);
        Check(failures, nameof(ToolsOptions.McpTimeoutSeconds), options.McpTimeoutSeconds, allowZero: false);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string key, long value, bool allowZero)
    {
        if (value < (allowZero ? 0 : 1))
        {
            failures.Add($"Configuration key '{ToolsOptions.Section}:{key}' must be a {(allowZero ? "non-negative" : "positive")} whole number (got '{value}').");
        }
    }
}
