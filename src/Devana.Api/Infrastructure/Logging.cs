using System.Diagnostics;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Devana.Api.Infrastructure;

/// <summary>
/// Serilog from appsettings (<c>Serilog</c> section): readable console lines in Development, compact
/// JSON elsewhere. One line per request, with its request id and trace id; bodies, query strings and headers are never logged.
/// </summary>
public static class Logging
{
    private const string DevelopmentTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}";

    public static void Configure(LoggerConfiguration logger, IConfiguration configuration, IHostEnvironment environment, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(logger);
        logger
            .ReadFrom.Configuration(configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            // Last, so that it sees every property the others add.
            .Enrich.With<SecretScrubbingEnricher>();

        if (environment.IsDevelopment())
        {
            logger.WriteTo.Console(outputTemplate: DevelopmentTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            logger.WriteTo.Console(new RenderedCompactJsonFormatter());
        }
    }

    public static void ConfigureRequestLogging(Serilog.AspNetCore.RequestLoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
        options.GetLevel = (http, _, exception) => exception is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error : LogEventLevel.Information;
        options.EnrichDiagnosticContext = (diagnostics, http) =>
        {
            diagnostics.Set("RequestId", http.TraceIdentifier);
            if (Activity.Current is { } activity)
            {
                // The trace this request belongs to (the caller's, when it sent a traceparent).
                diagnostics.Set("TraceId", activity.TraceId.ToHexString());
                diagnostics.Set("SpanId", activity.SpanId.ToHexString());
            }

            var principal = http.User.FindFirst(Application.Common.Security.DevanaClaimTypes.Subject)?.Value;
            if (principal is not null)
            {
                diagnostics.Set("PrincipalId", principal);
            }
        };
    }
}
