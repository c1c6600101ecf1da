using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Devana.Api.Auth;
using Devana.Api.Completions;
using Devana.Api.Infrastructure;
using Devana.Application.Common.Interfaces;
using Devana.Application.Files.Common;
using Devana.Infrastructure.Configuration;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;

namespace Devana.Api;

public static class DependencyInjection
{
    /// <summary>
    /// Controllers with the wire's JSON rules, the error mapper, OpenAPI, the caller accessor, the
    /// scope policies and the login page.
    /// </summary>
    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentPrincipal, HttpCurrentPrincipal>();
        services.AddSingleton<IRequestLogContext, SerilogRequestLogContext>();
        services.AddExceptionHandler<DevanaExceptionHandler>();
        services.AddProblemDetails();

        services.AddAuthorization(Policies.AddScopePolicies);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
        services.AddRazorPages();

        services.AddControllers(options =>
            {
                // The completion body's rules are the command's validator (FluentValidation, in the MediatR
                // pipeline), and it has no MVC validation attributes: MVC does not walk its properties.
                options.ModelMetadataDetailsProviders.Add(new SuppressChildValidationMetadataProvider(typeof(ChatCompletionRequest)));
            })
            .AddJsonOptions(options =>
            {
                ConfigureJson(options.JsonSerializerOptions);
                options.JsonSerializerOptions.TypeInfoResolver = (options.JsonSerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
                    .WithAddedModifier(NullElementGuard.Modify)
                    .WithAddedModifier(PatchPresence.Modify);
            })
            .ConfigureApiBehaviorOptions(options =>
            {
                options.InvalidModelStateResponseFactory = ModelStateErrors.ToEnvelope;
                // Bodiless client errors (a 415 for a missing or non-JSON Content-Type, …) stay bodiless, so
                // that StatusCodeErrors gives them the contract's envelope instead of a ProblemDetails.
                options.SuppressMapClientErrors = true;
            });
        services.AddOptions<MvcOptions>().Configure<IOptions<FilesOptions>>((mvc, files) => FileUploadLimitConvention.Register(mvc, files.Value));

        services.AddApiCors(configuration);
        services.AddSecurityHeaders();
        services.AddValidatedOptions<StreamingOptions, StreamingOptionsValidator>(StreamingOptions.Section);
        AddShutdownDrain(services);
        // The OpenAPI document describes bodies with the minimal-API JSON options: make them the wire's too.
        services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));
        services.AddApiOpenApi();
        services.AddTelemetry(configuration);
        return services;
    }

    /// <summary>
    /// <c>Devana:Shutdown:DrainSeconds</c>: checked at start-up; the host waits that long for open
    /// completions, plus the time for them to store and settle.
    /// </summary>
    private static void AddShutdownDrain(IServiceCollection services)
    {
        services.AddValidatedOptions<ShutdownOptions, ShutdownOptionsValidator>(ShutdownOptions.Section);
        services.AddSingleton<ShutdownDrain>();
        services.AddHostedService(provider => provider.GetRequiredService<ShutdownDrain>());
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
        {
            var needed = shutdown.Value.Drain + ShutdownOptions.SettleGrace;
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });
    }

    /// <summary>
    /// snake_case like OpenAI, nulls written (OpenAI SDKs expect <c>"param": null</c>), numbers strict
    /// (<c>"0.5"</c> for a number is a 400, not a silent conversion), dictionary keys (metadata) kept as sent,
    /// and, for MVC's bodies, PATCH bodies' absent fields told apart from nulls (<see cref="PatchPresence"/>).
    /// </summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }
}
