using Devana.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Devana.Infrastructure.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.Caching;

internal static class SettingsCacheSetup
{
    public static IServiceCollection AddSettingsCache(this IServiceCollection services)
    {
        services.AddValidatedOptions<CacheOptions, CacheOptionsValidator>(CacheOptions.Section);
        services.AddSingleton(provider => new SettingsCache(
            provider.GetRequiredService<IOptions<CacheOptions>>().Value.SettingsLifetime, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISettingsCache>(provider => provider.GetRequiredService<SettingsCache>());
        services.AddSingleton<IInterceptor, SettingsCacheInvalidator>();
        return services;
    }
}
