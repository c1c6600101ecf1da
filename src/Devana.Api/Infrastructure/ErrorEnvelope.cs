using System.Text.Json.Serialization;

namespace Devana.Api.Infrastructure;

/// <summary>The error body of every API error (docs/api.md#errors): <c>{"error": {message, type, param, code}}</c>, as OpenAI SDKs read it.</summary>
public sealed record ErrorEnvelope([property: JsonPropertyName("error")] ErrorBody Error)
{
    public static ErrorEnvelope Of(string type, string code, string message, string? param = null) =>
        new(new ErrorBody(message, type, param, code));
}

public sealed record ErrorBody(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string Code);

/// <summary>The error <c>type</c>s of docs/api.md#errors, one per status family.</summary>
public static class ErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Permission = "permission_error";
    public const string NotFound = "not_found_error";
    public const string Conflict = "conflict_error";
    public const string RateLimit = "rate_limit_error";
    public const string Upstream = "upstream_error";
    public const string Server = "server_error";

    /// <summary>The type that goes with a status code when nothing more specific is known.</summary>
    public static string ForStatus(int status) => status switch
    {
        401 => Authentication,
        403 => Permission,
        404 => NotFound,
        409 => Conflict,
        429 => RateLimit,
        502 or 504 => Upstream,
        >= 500 => Server,
        _ => InvalidRequest,
    };
}
