using Devana.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.Caching;

internal static class SettingsCacheSetup
{
    public static IServiceCollection AddSettingsCache(this IServiceCollection services, IConfiguration configuration)
    {
        var lifetime = SettingsCache.LifetimeFromConfiguration(configuration);
        services.AddSingleton(provider => new SettingsCache(lifetime, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISettingsCache>(provider => provider.GetRequiredService<SettingsCache>());
        services.AddSingleton<IInterceptor, SettingsCacheInvalidator>();
        return services;
    }
}
