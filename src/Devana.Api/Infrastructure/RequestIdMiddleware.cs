namespace Devana.Api.Infrastructure;

/// <summary>
/// Gives every request an id: the caller's <c>x-request-id</c> when it is sane, else a new one; it
/// becomes <c>HttpContext.TraceIdentifier</c> and is echoed on every response, errors included.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string HeaderName = "x-request-id";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var given = context.Request.Headers[HeaderName].ToString();
        var id = IsAcceptable(given) ? given : $"req_{Guid.NewGuid():N}";
        context.TraceIdentifier = id;
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            http.Response.Headers[HeaderName] = http.TraceIdentifier;
            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    private static bool IsAcceptable(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
