using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Devana.Api.Infrastructure;

/// <summary>
/// A <see cref="FileUploadAttribute"/> action reads its body itself, so nothing tells the OpenAPI document
/// what it takes: this describes it (<c>multipart/form-data</c> with the file in a field named <c>file</c>;
/// other fields, such as the <c>purpose</c> OpenAI SDKs send, are ignored), so <c>/docs</c> can upload.
/// </summary>
public sealed class FileUploadRequestBodyTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<FileUploadAttribute>().Any())
        {
            return Task.CompletedTask;
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The file in a field named 'file'; other fields (OpenAI SDKs send 'purpose') are ignored.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "file" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                            ["purpose"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Accepted and ignored." },
                        },
                    },
                },
            },
        };
        return Task.CompletedTask;
    }
}
