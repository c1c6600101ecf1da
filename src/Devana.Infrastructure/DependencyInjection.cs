using Devana.Infrastructure.Files;
using Devana.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Persistence, files, identity and LLM clients. Fails fast on invalid configuration.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var database = DatabaseOptions.FromConfiguration(configuration);
        services.AddPersistence(database);
        services.AddFileServices(configuration);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }
}
