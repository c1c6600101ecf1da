using Devana.Application.Quotas.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.Quotas;

public static class QuotasSetup
{
    /// <summary>The configured default limits, the database counter store and the janitor that purges old counters.</summary>
    public static IServiceCollection AddQuotas(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(QuotaDefaultsReader.Read(configuration));
        services.AddScoped<EfQuotaCounterStore>();
        services.AddScoped<IQuotaCounterStore>(provider => provider.GetRequiredService<EfQuotaCounterStore>());
        services.AddHostedService<QuotaCounterJanitor>();
        return services;
    }
}
