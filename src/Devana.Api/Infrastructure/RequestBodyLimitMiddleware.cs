using Devana.Application.Common.Exceptions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Devana.Api.Infrastructure;

/// <summary>
/// Refuses bodies over the endpoint's limit (its <c>[RequestSizeLimit]</c>, else
/// <see cref="DefaultMaxBytes"/>) with 413 in the envelope. A declared <c>Content-Length</c> is refused
/// before anything is read; a chunked body is cut by the server's own limit, which this sets.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public const long DefaultMaxBytes = 1024 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? DefaultMaxBytes;
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength > limit)
        {
            return ErrorWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, $"The request body is {context.Request.ContentLength} bytes; this endpoint accepts at most {limit} bytes.");
        }

        return next(context);
    }
}
