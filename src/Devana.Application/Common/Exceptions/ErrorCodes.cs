namespace Devana.Application.Common.Exceptions;

/// <summary>The error codes of docs/api.md#errors.</summary>
public static class ErrorCodes
{
    public const string InvalidValue = "invalid_value";
    public const string MissingRequiredParameter = "missing_required_parameter";
    public const string InvalidJson = "invalid_json";
    public const string UnknownParameterValue = "unknown_parameter_value";
    public const string InvalidToken = "invalid_token";
    public const string AccessDenied = "access_denied";
    public const string InsufficientScope = "insufficient_scope";
    public const string ModelNotAllowed = "model_not_allowed";
    public const string UnsupportedCapability = "unsupported_capability";
    public const string HostNotAllowed = "host_not_allowed";
    public const string QuotaExceeded = "quota_exceeded";
    public const string ModelNotFound = "model_not_found";
    public const string ConversationNotFound = "conversation_not_found";
    public const string FileNotFound = "file_not_found";
    public const string AgentNotFound = "agent_not_found";
    public const string ClientNotFound = "client_not_found";
    public const string NotFound = "not_found";
    public const string AlreadyExists = "already_exists";
    public const string ConversationBusy = Domain.Conversations.Rules.ConversationMustNotHaveATurnInProgressRule.BusyCode;
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedFileType = "unsupported_file_type";
    public const string RateLimited = "rate_limited";
    public const string UpstreamError = "upstream_error";
    public const string UpstreamTimeout = "upstream_timeout";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string ServiceUnavailable = "service_unavailable";
    public const string ServerError = "server_error";
}
