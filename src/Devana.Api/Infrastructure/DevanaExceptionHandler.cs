using Devana.Application.Common.Exceptions;
using Devana.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace Devana.Api.Infrastructure;

/// <summary>
/// The one exception-to-HTTP mapper: every exception becomes the error envelope (docs/api.md#errors).
/// Registered in every environment. Unknown exceptions are 500s that name the request id and nothing
/// else; the exception itself is logged with that id.
/// </summary>
public sealed partial class DevanaExceptionHandler(ILogger<DevanaExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is nobody to answer.
            return true;
        }

        var (status, envelope) = Map(exception, httpContext.TraceIdentifier);
        if (status >= 500)
        {
            LogServerError(exception, httpContext.TraceIdentifier, status);
        }

        if (httpContext.Response.HasStarted)
        {
            return true;
        }

        await ErrorWriter.WriteAsync(httpContext, status, envelope);
        return true;
    }

    internal static (int Status, ErrorEnvelope Envelope) Map(Exception exception, string requestId) => exception switch
    {
        ValidationException e => (400, Envelope(ErrorTypes.InvalidRequest, e)),
        BadRequestException e => (400, Envelope(ErrorTypes.InvalidRequest, e)),
        NotFoundException e => (404, Envelope(ErrorTypes.NotFound, e)),
        ForbiddenAccessException e => (403, Envelope(ErrorTypes.Permission, e)),
        QuotaExceededException e => (403, Envelope(ErrorTypes.Permission, e)),
        ConflictException e => (409, Envelope(ErrorTypes.Conflict, e)),
        UpstreamException e => (e.IsTimeout ? 504 : 502, Envelope(ErrorTypes.Upstream, e)),
        ServiceUnavailableException e => (503, Envelope(ErrorTypes.Server, e)),
        PayloadTooLargeException e => (413, Envelope(ErrorTypes.InvalidRequest, e)),
        UnsupportedFileTypeException e => (415, Envelope(ErrorTypes.InvalidRequest, e)),
        DevanaException e => (400, Envelope(ErrorTypes.InvalidRequest, e)),
        BusinessRuleValidationException e => MapRule(e.BrokenRule),
        BadHttpRequestException { StatusCode: 413 } => (413, ErrorEnvelope.Of(ErrorTypes.InvalidRequest, ErrorCodes.PayloadTooLarge, "The request body is too large.")),
        BadHttpRequestException e => (e.StatusCode, ErrorEnvelope.Of(ErrorTypes.ForStatus(e.StatusCode), ErrorCodes.InvalidValue, e.Message)),
        System.Text.Json.JsonException e => (400, ErrorEnvelope.Of(ErrorTypes.InvalidRequest, ErrorCodes.InvalidJson, $"The request body is not valid JSON: {e.Message}")),
        _ => (500, ErrorEnvelope.Of(ErrorTypes.Server, ErrorCodes.ServerError, $"The server had an error while processing your request. Quote request id {requestId} when reporting it.")),
    };

    private static ErrorEnvelope Envelope(string type, DevanaException e) => ErrorEnvelope.Of(type, e.Code, e.Message, e.Param);

    private static (int, ErrorEnvelope) MapRule(IBusinessRule rule) => rule.Kind switch
    {
        RuleViolationKind.Conflict => (409, ErrorEnvelope.Of(ErrorTypes.Conflict, rule.Code ?? ErrorCodes.AlreadyExists, rule.Message, rule.Param)),
        RuleViolationKind.AccessDenied => (403, ErrorEnvelope.Of(ErrorTypes.Permission, rule.Code ?? ErrorCodes.AccessDenied, rule.Message, rule.Param)),
        _ => (400, ErrorEnvelope.Of(ErrorTypes.InvalidRequest, rule.Code ?? ErrorCodes.InvalidValue, rule.Message, rule.Param)),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} failed with status {Status}")]
    private partial void LogServerError(Exception exception, string requestId, int status);
}
