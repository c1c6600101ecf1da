using System.Reflection;
using Devana.Application.Common.Behaviors;
using Devana.Application.Common.Telemetry;
using Devana.Application.Completions.Common;
using Devana.Application.Completions.CreateCompletion;
using Devana.Application.Files.Retrieval;
using Devana.Application.Quotas.Common;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Application;

public static class DependencyInjection
{
    /// <summary>
    /// MediatR 5.1.0 has no DI package of its own (docs/decisions/ADR-001-package-pins.md): handlers are
    /// found by a short assembly scan. Behaviours run in the order registered: logging, then the workspace-admin check, then validation.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        var assembly = Assembly.GetExecutingAssembly();

        services.AddScoped<ServiceFactory>(provider => provider.GetService!);
        services.AddScoped<IMediator, Mediator>();
        foreach (var (service, implementation) in FindHandlers(assembly))
        {
            services.AddTransient(service, implementation);
        }

        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(LoggingBehavior<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(WorkspaceAdminBehavior<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));

        // Singletons: a validator holds only its rules (and the singleton LLM catalog); building one per
        // request (rule objects, expression trees) cost more CPU than running it.
        services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddAutoMapper(cfg => cfg.AddMaps(assembly));
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<IPromptContextProvider, FilePromptContextProvider>();
        services.AddScoped<QuotaGate>();
        services.AddScoped<CompletionWrites>();
        services.AddScoped<CompletionRunner>();
        services.AddSingleton<LiveQuotaHolds>();
        services.AddScoped<QuotaHoldKeeper>();
        services.AddMetrics();
        services.AddSingleton<DevanaMetrics>();
        return services;
    }

    internal static IEnumerable<(Type Service, Type Implementation)> FindHandlers(Assembly assembly) =>
        from type in assembly.GetTypes()
        where type is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false }
        from service in type.GetInterfaces()
        where service.IsGenericType && service.GetGenericTypeDefinition() == typeof(IRequestHandler<,>)
        select (service, type);
}
