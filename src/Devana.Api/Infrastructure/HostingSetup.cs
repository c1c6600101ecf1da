using Devana.Infrastructure.Identity;
using Devana.Infrastructure.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Serilog;

namespace Devana.Api.Infrastructure;

/// <summary>The host's own start-up steps, named so that <c>Program.cs</c> reads as a table of contents.</summary>
public static class HostingSetup
{
    /// <summary>
    /// Serilog as the host's logger (docs/observability.md), not the process-wide static one: two hosts in one
    /// process (the tests') each log through their own pipeline and sinks, never through whichever was built last.
    /// </summary>
    public static WebApplicationBuilder AddDevanaLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSerilog((services, logger) => Logging.Configure(logger, builder.Configuration, builder.Environment, services), preserveStaticLogger: true);
        CachingLoggerFactory.Decorate(builder.Services);
        return builder;
    }

    /// <summary>Kestrel's limits: the default body limit (larger per action where an action says so), no <c>Server</c> header.</summary>
    public static WebApplicationBuilder ConfigureDevanaKestrel(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = RequestBodyLimitMiddleware.DefaultMaxBytes;
            // No "Server: Kestrel": what runs the service is nobody's business (SecurityHeaders).
            kestrel.AddServerHeader = false;
        });
        return builder;
    }

    /// <summary>
    /// Checks the settings, migrates the database when <c>Devana:Database:MigrateOnStartup</c> says so (docs/deployment.md), then,
    /// once the schema is there, seeds the identity bootstrap (first owner, first-party clients).
    /// </summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Every setting is checked before the database is touched (the host would check them only when it starts).
        app.Services.GetService<IStartupValidator>()?.Validate();
        await using var scope = app.Services.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping))
        {
            await scope.ServiceProvider.GetRequiredService<IdentityBootstrapper>().SeedAsync(app.Lifetime.ApplicationStopping);
        }
    }

    /// <summary>One log line per request, through the host's Serilog logger (see <see cref="AddDevanaLogging"/>).</summary>
    public static IApplicationBuilder UseDevanaRequestLogging(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseSerilogRequestLogging(options =>
        {
            Logging.ConfigureRequestLogging(options);
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
        });
    }

    /// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (the database answers too).</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return endpoints;
    }
}
