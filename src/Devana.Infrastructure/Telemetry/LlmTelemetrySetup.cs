using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Devana.Infrastructure.Telemetry;

public static class LlmTelemetrySetup
{
    /// <summary><see cref="TelemetrySettings"/> from configuration (once) and the GenAI instrumentation of the LLM clients.</summary>
    public static IServiceCollection AddLlmTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(_ => TelemetrySettings.Read(configuration));
        services.TryAddSingleton<LlmTelemetry>();
        return services;
    }
}
