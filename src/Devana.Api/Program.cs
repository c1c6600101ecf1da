using Devana.Api;
using Devana.Api.Infrastructure;
using Devana.Application;
using Devana.Infrastructure;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot.Resolve(args) });
builder.AddDevanaLogging();
builder.ConfigureDevanaKestrel();
builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration, builder.Environment)
    .AddApi(builder.Configuration);

var app = builder.Build();
await app.InitializeDatabaseAsync();

app.UseSecurityHeaders();
app.UseMiddleware<RequestIdMiddleware>();
app.UseMiddleware<ShutdownGateMiddleware>();
app.UseDevanaRequestLogging();
app.UseExceptionHandler();
app.UseStatusCodePages(StatusCodeErrors.WriteAsync);
app.UseWebAppFiles();
app.UseRouting();
app.UseCors();
app.UseMiddleware<RequestBodyLimitMiddleware>();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealthEndpoints();
app.MapMetrics();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapScalarApiReference("/docs");
app.MapControllers();
app.MapRazorPages();
app.MapWebApp();

await app.RunAsync();

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in the functional tests.</summary>
public partial class Program;
