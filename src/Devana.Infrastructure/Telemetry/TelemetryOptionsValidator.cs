using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.Telemetry;

/// <summary>Checks <see cref="TelemetryOptions"/> at start-up: the Prometheus hosts are host names, not URLs.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var invalid = options.Prometheus.AllowedHosts
            .Where(host => string.IsNullOrWhiteSpace(host) || host.Contains('/', StringComparison.Ordinal) || host.Contains("://", StringComparison.Ordinal))
            .ToList();
        return invalid.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"'{TelemetryOptions.Section}:Prometheus:AllowedHosts' takes hosts as a request's Host header names them ('localhost', 'metrics.internal:9464', '*:9464'), not URLs; found: {string.Join(", ", invalid.Select(h => $"'{h}'"))}.");
    }
}
