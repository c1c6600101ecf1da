using Devana.Api;
using Devana.Api.Infrastructure;
using Devana.Application;
using Devana.Infrastructure;
using Devana.Infrastructure.Identity;
using Devana.Infrastructure.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;
using Serilog;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot.Resolve(args) });

// The host's own logger, not the process-wide static one: two hosts in one process (the tests') each log
// through their own pipeline (and their own sinks), never through whichever was built last.
builder.Services.AddSerilog((services, logger) => Logging.Configure(logger, builder.Configuration, builder.Environment, services), preserveStaticLogger: true);
CachingLoggerFactory.Decorate(builder.Services);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = RequestBodyLimitMiddleware.DefaultMaxBytes;
    // No "Server: Kestrel": what runs the service is nobody's business (SecurityHeaders).
    kestrel.AddServerHeader = false;
});

builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration, builder.Environment)
    .AddApi(builder.Configuration);

var app = builder.Build();

await using (var scope = app.Services.CreateAsyncScope())
{
    if (await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping))
    {
        await scope.ServiceProvider.GetRequiredService<IdentityBootstrapper>().SeedAsync(app.Lifetime.ApplicationStopping);
    }
}

app.UseSecurityHeaders();
app.UseMiddleware<RequestIdMiddleware>();
app.UseMiddleware<ShutdownGateMiddleware>();
app.UseSerilogRequestLogging(options =>
{
    Logging.ConfigureRequestLogging(options);
    options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
});
app.UseExceptionHandler();
app.UseStatusCodePages(StatusCodeErrors.WriteAsync);
app.UseWebAppFiles();
app.UseRouting();
app.UseCors();
app.UseMiddleware<RequestBodyLimitMiddleware>();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
app.MapMetrics();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapScalarApiReference("/docs");
app.MapControllers();
app.MapRazorPages();
app.MapWebApp();

await app.RunAsync();

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in the functional tests.</summary>
public partial class Program;
