namespace Devana.Application.Common.Exceptions;

/// <summary>
/// Base of the Application's exceptions. Each one carries the contract's error <c>code</c> and the
/// request field it is about (<c>param</c>, snake_case); the API's exception handler maps the type to
/// the HTTP status and error <c>type</c> (docs/api.md#errors).
/// </summary>
public abstract class DevanaException : Exception
{
    protected DevanaException(string code, string message, string? param = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Param = param;
    }

    public string Code { get; }

    public string? Param { get; }
}

/// <summary>400: a request value that the validators could not see was wrong (e.g. an unknown file id).</summary>
public sealed class BadRequestException(string message, string? param = null, string code = ErrorCodes.InvalidValue)
    : DevanaException(code, message, param);

/// <summary>404: the resource does not exist for this caller (other workspaces' resources included).</summary>
public sealed class NotFoundException(string code, string message, string? param = null)
    : DevanaException(code, message, param);

/// <summary>403: the caller is known but may not do this.</summary>
public sealed class ForbiddenAccessException(string code, string message, string? param = null)
    : DevanaException(code, message, param);

/// <summary>409: the resource already exists.</summary>
public sealed class ConflictException(string message, string? param = null, string code = ErrorCodes.AlreadyExists)
    : DevanaException(code, message, param);

/// <summary>413: the request or the file in it is over the size limit.</summary>
public sealed class PayloadTooLargeException(string message, string? param = null)
    : DevanaException(ErrorCodes.PayloadTooLarge, message, param);

/// <summary>415: the uploaded file is not of a supported type (by its extension or by its content).</summary>
public sealed class UnsupportedFileTypeException(string message, string? param = "file")
    : DevanaException(ErrorCodes.UnsupportedFileType, message, param);

/// <summary>503: a dependency the request needs (the database) is not available; nothing was done.</summary>
public sealed class ServiceUnavailableException(string message, Exception? innerException = null)
    : DevanaException(ErrorCodes.ServiceUnavailable, message, null, innerException);

/// <summary>502 / 504: the upstream LLM failed or timed out. The message never holds a key.</summary>
public sealed class UpstreamException(string message, bool isTimeout = false, Exception? innerException = null)
    : DevanaException(isTimeout ? ErrorCodes.UpstreamTimeout : ErrorCodes.UpstreamError, message, null, innerException)
{
    public bool IsTimeout { get; } = isTimeout;

    /// <summary>
    /// The LLM failed before its answer began, in a way another LLM need not: it could not be reached, it
    /// answered 408, 429 or 5xx (after the provider's own retries), or it stayed silent past its timeout. Only
    /// such a failure moves a completion on to its agent's <c>fallback_models</c>; any other (a 4xx, a broken
    /// answer, a failure after the first token) is final.
    /// </summary>
    public bool CanFallBack { get; init; }
}
