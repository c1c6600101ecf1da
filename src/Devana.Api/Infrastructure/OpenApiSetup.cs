using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Devana.Api.Infrastructure;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> (and so <c>/docs</c>): the wire's JSON names, the
/// OAuth 2.0 security scheme and each operation's scope, and typed error responses on every operation.
/// Operation summaries come from the controllers' XML comments. docs/api.md is the same reference in prose.
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddApiOpenApi(this IServiceCollection services)
    {
        services.AddSingleton<OAuthSecuritySchemeTransformer>();
        // /docs (Scalar) opens with the OAuth scheme chosen, so its flows are one click away.
        services.Configure<ScalarOptions>(options => options
            .WithTitle("Devana API")
            .AddPreferredSecuritySchemes(OAuthSecuritySchemeTransformer.SchemeName));
        return services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Devana API",
                    Version = "v1",
                    Description = "OpenAI-compatible chat completions where `model` names an agent. Every error is "
                        + "`{\"error\": {\"message\", \"type\", \"param\", \"code\"}}`. Lists page with `limit` (1-100, default 20) "
                        + "and `after` (the previous page's `next_cursor`). The full reference is docs/api.md in the repository.",
                };
                // ASP.NET Core's default error type, never used: every error is the envelope (ErrorResponsesTransformer).
                document.Components?.Schemas?.Remove("ProblemDetails");
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<OAuthSecuritySchemeTransformer>();
            options.AddOperationTransformer<OAuthSecuritySchemeTransformer>();
            options.AddOperationTransformer<FileUploadRequestBodyTransformer>();
            options.AddOperationTransformer<ErrorResponsesTransformer>();
        });
    }
}
