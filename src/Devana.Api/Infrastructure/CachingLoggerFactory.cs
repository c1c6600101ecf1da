using System.Collections.Concurrent;

namespace Devana.Api.Infrastructure;

/// <summary>
/// Hands out one logger per category, as Microsoft's <c>LoggerFactory</c> does. Serilog's factory builds
/// a new logger (with its own event-id cache, about 800 bytes) on every <c>CreateLogger</c> call, and EF
/// Core asks for about twelve of them for each context it creates: 1,000 concurrent streams, each holding
/// a context, kept about 10 MB of identical loggers alive.
/// </summary>
public sealed class CachingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, factory) => factory.CreateLogger(name), inner);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    /// <summary>Wraps the registered <see cref="ILoggerFactory"/> (Serilog's, from <c>AddSerilog</c>) in a <see cref="CachingLoggerFactory"/>.</summary>
    public static IServiceCollection Decorate(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("No ILoggerFactory is registered.");
        Func<IServiceProvider, ILoggerFactory> create = registered switch
        {
            { ImplementationInstance: ILoggerFactory instance } => _ => instance,
            { ImplementationFactory: { } factory } => provider => (ILoggerFactory)factory(provider),
            { ImplementationType: { } type } => provider => (ILoggerFactory)ActivatorUtilities.CreateInstance(provider, type),
            _ => throw new InvalidOperationException("The ILoggerFactory registration is not supported."),
        };
        services.Remove(registered);
        services.AddSingleton<ILoggerFactory>(provider => new CachingLoggerFactory(create(provider)));
        return services;
    }
}
