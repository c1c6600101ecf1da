using Devana.Application.Common.Models;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Devana.Api.Infrastructure;

/// <summary>
/// Documents a PATCH body's <see cref="Optional{T}"/> field as <c>T</c> itself (which is what the wire
/// carries, see <see cref="OptionalJsonConverterFactory"/>) instead of an opaque object.
/// </summary>
public sealed class OptionalSchemaTransformer : IOpenApiSchemaTransformer
{
    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        var type = context.JsonTypeInfo.Type;
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(Optional<>))
        {
            return;
        }

        var inner = await context.GetOrCreateSchemaAsync(type.GetGenericArguments()[0], null, cancellationToken);
        // Every PATCH field may be sent as null (to clear it); the validators say which ones may not.
        schema.Type = inner.Type is null ? null : inner.Type | JsonSchemaType.Null;
        schema.Format = inner.Format;
        schema.Items = inner.Items;
        schema.AdditionalProperties = inner.AdditionalProperties;
        schema.Pattern = inner.Pattern;
        schema.Properties = inner.Properties;
    }
}
