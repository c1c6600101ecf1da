using Devana.Infrastructure.Caching;
using Devana.Infrastructure.Files;
using Devana.Infrastructure.Identity;
using Devana.Infrastructure.Llm;
using Devana.Infrastructure.Persistence;
using Devana.Infrastructure.Quotas;
using Devana.Infrastructure.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Devana.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Persistence, identity, files, LLM clients and quota counters. Fails fast on invalid configuration.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var database = DatabaseOptions.FromConfiguration(configuration);
        services.AddPersistence(database);
        services.AddIdentityServer(configuration, environment);
        services.AddFileServices();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddLlm(configuration);
        services.AddAgentTools();
        services.AddQuotas(configuration);
        services.AddSettingsCache();
        return services;
    }
}
