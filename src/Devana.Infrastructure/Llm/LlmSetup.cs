using Azure.Core;
using Azure.Identity;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.Llm.Catalog;
using Devana.Infrastructure.Llm.Clients;
using Devana.Infrastructure.Llm.Clients.Http;
using Devana.Infrastructure.Llm.Tokenization;
using Devana.Infrastructure.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Devana.Infrastructure.Llm;

public static class LlmSetup
{
    /// <summary>
    /// Registers <see cref="ILlmCatalog"/>, <see cref="ILlmClientProvider"/> and <see cref="ITokenCounter"/> from
    /// <c>Devana:Llm</c> (docs/llm-providers.md). The configuration is checked here, so a mistake stops
    /// start-up with an <see cref="InvalidOperationException"/> naming the configuration key.
    /// </summary>
    public static IServiceCollection AddLlm(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = LlmSettings.FromConfiguration(configuration);

        services.AddSingleton(settings);
        services.AddSingleton<ILlmCatalog>(new LlmCatalog(settings));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ITokenCounter, TiktokenTokenCounter>();
        services.AddHostedService<TokenizerPreload>();
        services.AddSingleton<ILlmClientProvider, LlmClientProvider>();
        // Microsoft Entra ID for Azure OpenAI providers without a key: environment, workload or managed identity,
        // Azure CLI… (DefaultAzureCredential's chain). Register another TokenCredential first to replace it.
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.AddLlmTelemetry(configuration);
        services.AddHttpClient();
        foreach (var provider in settings.Providers.Values.Where(p => p.Type != LlmProviderType.Echo))
        {
            services.AddUpstreamHttpClient(provider);
        }

        return services;
    }
}
