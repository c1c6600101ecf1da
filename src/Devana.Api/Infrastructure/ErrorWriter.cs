using System.Text.Json;

namespace Devana.Api.Infrastructure;

/// <summary>Writes <see cref="ErrorEnvelope"/> bodies; used by every place that produces an error.</summary>
public static class ErrorWriter
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web);

    public static async Task WriteAsync(HttpContext context, int status, ErrorEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, envelope, s_options, context.RequestAborted);
    }

    public static Task WriteAsync(HttpContext context, int status, string code, string message, string? param = null) =>
        WriteAsync(context, status, ErrorEnvelope.Of(ErrorTypes.ForStatus(status), code, message, param));
}
