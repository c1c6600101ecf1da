using Devana.Application.Common.Exceptions;
using Microsoft.AspNetCore.Diagnostics;

namespace Devana.Api.Infrastructure;

/// <summary>
/// Gives the bodiless errors that ASP.NET Core produces by itself (unknown route, wrong method, …) the
/// contract's envelope. Only responses that have no body yet are touched.
/// </summary>
public static class StatusCodeErrors
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var (code, message) = status switch
        {
            404 => (ErrorCodes.NotFound, $"No route matches {http.Request.Method} {http.Request.Path}."),
            405 => (ErrorCodes.MethodNotAllowed, $"{http.Request.Method} is not allowed on {http.Request.Path}."),
            401 => (ErrorCodes.InvalidToken, "A valid bearer access token is required."),
            403 => (ErrorCodes.AccessDenied, "The access token does not allow this request."),
            413 => (ErrorCodes.PayloadTooLarge, "The request body is too large."),
            415 => (ErrorCodes.InvalidValue, "The request's Content-Type is not supported here; send application/json."),
            _ => (ErrorCodes.InvalidValue, $"The request failed with status {status}."),
        };
        return ErrorWriter.WriteAsync(http, status, code, message);
    }
}
