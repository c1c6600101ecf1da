using Microsoft.Extensions.Primitives;

namespace Devana.Api.Infrastructure;

/// <summary>
/// CORS for front-end apps (docs/api.md#operations): the origins of <c>Devana:Cors:AllowedOrigins</c> (an array,
/// or one comma-separated string; none by default) may send <c>authorization</c> and
/// <c>content-type</c>, and may read <c>x-request-id</c> and the <c>x-ratelimit-*</c> headers.
/// </summary>
public static class CorsSetup
{
    public const string Key = "Devana:Cors:AllowedOrigins";

    public static readonly string[] ExposedHeaders =
    [
        RequestIdMiddleware.HeaderName,
        "x-ratelimit-limit-requests",
        "x-ratelimit-remaining-requests",
        "x-ratelimit-reset-requests",
        "x-ratelimit-limit-tokens",
        "x-ratelimit-remaining-tokens",
        "x-ratelimit-reset-tokens",
    ];

    public static IServiceCollection AddApiCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = AllowedOrigins(configuration);
        services.AddCors(options => options.AddDefaultPolicy(policy =>
        {
            policy.WithOrigins(origins)
                .WithHeaders("authorization", "content-type", RequestIdMiddleware.HeaderName)
                .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .WithExposedHeaders(ExposedHeaders)
                .SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));
        return services;
    }

    internal static string[] AllowedOrigins(IConfiguration configuration)
    {
        var section = configuration.GetSection(Key);
        var values = section.GetChildren().Select(child => child.Value).ToList();
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            values.AddRange(section.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        var origins = values.Where(value => !StringValues.IsNullOrEmpty(value)).Select(value => value!.Trim().TrimEnd('/')).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        foreach (var origin in origins)
        {
            if (origin == "*" || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException($"Configuration key '{Key}' holds '{origin}', which is not an origin like https://app.example.com (scheme, host and port only; '*' is not allowed with bearer tokens).");
            }
        }

        return origins;
    }
}
