using System.Diagnostics;

namespace Devana.Api.Infrastructure;

/// <summary>
/// Gives every request an id: the caller's <c>x-request-id</c> when it is sane, else a new one; it
/// becomes <c>HttpContext.TraceIdentifier</c>, is echoed on every response, errors included, and is
/// tagged on the request's span (<c>devana.request_id</c>).
/// </summary>
/// <remarks>
/// A new id is the request's trace id (<c>req_</c> + 32 hex digits), so that the id a caller reports
/// finds the trace at once. When the caller sent a W3C <c>traceparent</c>, the trace is the caller's and
/// may hold several requests, so the id is a new random one and the span tag links the two.
/// </remarks>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string HeaderName = "x-request-id";
    public const string SpanTag = "devana.request_id";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var given = context.Request.Headers[HeaderName].ToString();
        var activity = Activity.Current;
        var id = IsAcceptable(given) ? given : NewId(activity);
        context.TraceIdentifier = id;
        activity?.SetTag(SpanTag, id);
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            http.Response.Headers[HeaderName] = http.TraceIdentifier;
            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    private static string NewId(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C, HasRemoteParent: false }
            ? "req_" + activity.TraceId.ToHexString()
            : $"req_{Guid.NewGuid():N}";

    private static bool IsAcceptable(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
