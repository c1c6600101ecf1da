using Devana.Application.Common.Exceptions;
using Microsoft.AspNetCore.Mvc;

namespace Devana.Api.Infrastructure;

/// <summary>
/// Replaces <c>[ApiController]</c>'s automatic 400 so that malformed JSON, wrong types and missing
/// bodies get the contract's envelope with <c>param</c> set. FluentValidation owns the input rules;
/// this only sees what the JSON reader and model binder refused.
/// </summary>
public static class ModelStateErrors
{
    public static IActionResult ToEnvelope(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var first = context.ModelState
            .Where(entry => entry.Value is { Errors.Count: > 0 })
            .OrderBy(entry => entry.Key.StartsWith('$') ? 0 : 1)
            .Select(entry => (entry.Key, Error: entry.Value!.Errors[0]))
            .FirstOrDefault();

        var raw = first.Error?.ErrorMessage;
        if (string.IsNullOrEmpty(raw))
        {
            raw = first.Error?.Exception?.Message ?? "The request is invalid.";
        }

        // A list's elements are read by a nested call (NullElementGuard), which hands the rest of the path on.
        var (below, text) = NullElementGuard.SplitBelow(raw);
        raw = text;
        var param = ParamOf(below.Length > 0 && first.Key is not null ? first.Key + below : first.Key);
        string code;
        string message;
        if (raw.Contains("could not be converted", StringComparison.Ordinal))
        {
            code = ErrorCodes.InvalidValue;
            message = param is null ? "A value in the request body has the wrong type."
                : JsonShapeError.TryGetRequirement(raw, out var requirement) ? $"{param} {requirement}"
                : $"{param} has the wrong type or value.";
        }
        else if (raw.Contains("non-empty request body is required", StringComparison.OrdinalIgnoreCase) || (first.Key is "" or null && raw.Contains("required", StringComparison.OrdinalIgnoreCase)))
        {
            code = ErrorCodes.InvalidJson;
            message = "A JSON request body is required.";
            param = null;
        }
        else if (first.Key?.StartsWith('$') == true)
        {
            code = ErrorCodes.InvalidJson;
            message = $"The request body is not valid JSON: {TrimLocation(raw)}";
        }
        else
        {
            code = ErrorCodes.InvalidValue;
            message = param is null ? raw : $"{param}: {raw}";
        }

        return new ObjectResult(ErrorEnvelope.Of(ErrorTypes.InvalidRequest, code, message, param)) { StatusCode = 400 };
    }

    /// <summary><c>$.messages[0].role</c> → <c>messages[0].role</c>; <c>$</c> and model names → null.</summary>
    internal static string? ParamOf(string? key)
    {
        if (string.IsNullOrEmpty(key) || key == "$")
        {
            return null;
        }

        if (key.StartsWith("$.", StringComparison.Ordinal))
        {
            return key[2..];
        }

        // Query-string and route keys arrive as .NET names.
        return FieldPath.ToSnakeCase(key);
    }

    private static string TrimLocation(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
