using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Devana.Api.Infrastructure;

/// <summary>
/// Gives every operation of the OpenAPI document its error responses, each typed as the one error
/// envelope (<see cref="ErrorEnvelope"/>) and described with the <c>type</c> and the <c>code</c>s it
/// carries (docs/api.md, "Errors"). An action declares the statuses only it can answer
/// (<c>[ProducesResponseType]</c>: 409, 415, 502, …); the ones every action of a kind can answer are
/// added here: 400 with query parameters or a body, 404 with a path parameter, 413 with a body, 401 and 403
/// when a token is required, 500 always.
/// </summary>
public sealed class ErrorResponsesTransformer : IOpenApiOperationTransformer
{
    public const string SchemaName = nameof(ErrorEnvelope);

    /// <summary>What each error status means on the wire: its <c>type</c> and the codes it carries.</summary>
    public static readonly IReadOnlyDictionary<int, string> Descriptions = new Dictionary<int, string>
    {
        [400] = "invalid_request_error: invalid_value, missing_required_parameter, invalid_json, unknown_parameter_value, "
            + "unsupported_capability or host_not_allowed; param names the field (snake_case).",
        [401] = "authentication_error invalid_token: no bearer token, or a malformed, expired or revoked one "
            + "(with a WWW-Authenticate: Bearer header).",
        [403] = "permission_error: insufficient_scope (the token lacks the scope), access_denied (not a workspace admin, "
            + "someone else's private agent), model_not_allowed or quota_exceeded (completions).",
        [404] = "not_found_error: agent_not_found, model_not_found, conversation_not_found, file_not_found, client_not_found "
            + "or not_found. Another workspace's resources are 404s too: their existence is not disclosed.",
        [405] = "invalid_request_error method_not_allowed: the path exists, not with this method.",
        [409] = "conflict_error already_exists: the id (or email) is taken in the workspace.",
        [413] = "invalid_request_error payload_too_large: the body (1 MiB) or the file (Devana:Files:MaxBytes) is over the limit.",
        [415] = "invalid_request_error unsupported_file_type: the file's extension or content is not a supported type.",
        [429] = "rate_limit_error rate_limited (with retry-after).",
        [500] = "server_error server_error: a fault of the server, never of the input; the message names the request id.",
        [502] = "upstream_error upstream_error: the LLM failed.",
        [503] = "server_error service_unavailable: the database the request needs cannot be reached (nothing was done), "
            + "or the instance is shutting down (send the request again).",
        [504] = "upstream_error upstream_timeout: the LLM did not answer in time.",
    };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var description = context.Description;
        var hasBody = operation.RequestBody is not null
            || description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body || p.Source == BindingSource.Form);
        var hasInput = hasBody || description.ParameterDescriptions.Any(p => p.Source == BindingSource.Query);
        var needsToken = description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any();

        operation.Responses ??= [];
        AddIf(operation, hasInput, 400);
        AddIf(operation, needsToken, 401);
        AddIf(operation, needsToken, 403);
        AddIf(operation, description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path), 404);
        AddIf(operation, hasBody, 413);
        AddIf(operation, true, 500);

        var schema = await context.GetOrCreateSchemaAsync(typeof(ErrorEnvelope), null, cancellationToken);
        context.Document?.AddComponent(SchemaName, schema);
        foreach (var (status, response) in operation.Responses.ToList())
        {
            if (!int.TryParse(status, out var code) || code < 400)
            {
                continue;
            }

            operation.Responses[status] = new OpenApiResponse
            {
                Description = Descriptions.TryGetValue(code, out var text) ? text : response.Description ?? "An error, in the error envelope.",
                Headers = response.Headers,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(SchemaName, context.Document) },
                },
            };
        }
    }

    private static void AddIf(OpenApiOperation operation, bool condition, int status)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (condition && !operation.Responses!.ContainsKey(key))
        {
            operation.Responses[key] = new OpenApiResponse();
        }
    }
}
