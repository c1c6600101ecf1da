using Devana.Infrastructure.Llm;
using Devana.Infrastructure.Persistence;
using Devana.Infrastructure.Quotas;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Persistence, identity, LLM clients and quota counters. Fails fast on invalid configuration.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var database = DatabaseOptions.FromConfiguration(configuration);
        services.AddPersistence(database);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddLlm(configuration);
        services.AddQuotas(configuration);
        return services;
    }
}
