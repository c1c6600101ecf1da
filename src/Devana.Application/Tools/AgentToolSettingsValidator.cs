using System.Text.RegularExpressions;
using Devana.Application.Common.Exceptions;
using Devana.Application.Completions.CreateCompletion;
using Devana.Domain.Agents;
using FluentValidation;

namespace Devana.Application.Tools;

/// <summary>
/// One <c>tools[]</c> item of an agent (docs/tools.md): an <c>http</c> tool with a lower-case name, a usable
/// argument schema, an http(s) URL that <c>Devana:Tools:AllowedHosts</c> allows, GET or POST, headers that
/// Devana does not set itself, and a timeout of 1 to 300 seconds. The param of a failure names the field
/// (<c>tools[0].url</c>).
/// </summary>
public sealed partial class AgentToolSettingsValidator : AbstractValidator<AgentToolSettings>
{
    public const int MaxDescriptionLength = 1024;
    public const int MaxHeaders = 20;
    public const int MaxHeaderValueLength = 4096;

    /// <summary>Headers Devana writes itself (its caller headers and the framing of the body).</summary>
    private static readonly string[] s_reserved = ["host", "content-length", "content-type", "transfer-encoding", "connection"];

    public AgentToolSettingsValidator(IToolHostPolicy hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        RuleFor(t => t.Type).NotNull().WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("type is required: \"http\".")
            .Equal(AgentToolSettings.Http).WithErrorCode(ErrorCodes.UnknownParameterValue).WithMessage((_, type) => $"type must be \"http\" (got '{type}').");
        RuleFor(t => t.Name).NotNull().WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("name is required.")
            .Must(name => name is null || Name().IsMatch(name)).WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage((_, name) => $"name must be 1 to 64 characters of a-z, 0-9, _ and - (got '{name}').");
        RuleFor(t => t.Description).MaximumLength(MaxDescriptionLength).WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage($"description has at most {MaxDescriptionLength} characters.");
        RuleFor(t => t.Parameters).Must(schema => schema is null || ToolSchemas.ProblemOf(schema) is null).WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage((_, schema) => $"parameters is not a usable JSON schema: {ToolSchemas.ProblemOf(schema)}");
        RuleFor(t => t.Url).NotNull().WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("url is required.")
            .Must(url => url is null || IsHttpUrl(url)).WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage((_, url) => $"url must be an absolute http or https URL without user info (got '{url}').")
            .DependentRules(() => RuleFor(t => t.Url)
                .Must(url => url is null || hosts.RefusalFor(new Uri(url)) is null).WithErrorCode(ErrorCodes.HostNotAllowed)
                .WithMessage((_, url) => hosts.RefusalFor(new Uri(url!))));
        RuleFor(t => t.Method).Must(method => method is null || method.ToUpperInvariant() is "GET" or "POST").WithErrorCode(ErrorCodes.UnknownParameterValue)
            .WithMessage((_, method) => $"method must be GET or POST (got '{method}').");
        RuleFor(t => t.TimeoutSeconds).InclusiveBetween(1, AgentTool.MaxTimeoutSeconds).WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage((_, timeout) => $"timeout_seconds must be between 1 and {AgentTool.MaxTimeoutSeconds} (got {timeout}).");
        RuleFor(t => t.Headers).Must(headers => headers is null || headers.Count <= MaxHeaders).WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage($"headers has at most {MaxHeaders} entries.");
        RuleForEach(t => t.Headers).Must(h => HeaderName().IsMatch(h.Key)).WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage((_, h) => $"'{h.Key}' is not an HTTP header name.")
            .Must(h => !IsReserved(h.Key)).WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage((_, h) => $"The header '{h.Key}' is set by Devana; a tool cannot set it.")
            .Must(h => h.Value is null || (h.Value.Length <= MaxHeaderValueLength && !h.Value.Any(char.IsControl))).WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage((_, h) => $"The value of the header '{h.Key}' must be at most {MaxHeaderValueLength} characters without control characters.");
    }

    internal static bool IsReserved(string header) =>
        s_reserved.Contains(header.ToLowerInvariant()) || header.StartsWith("x-devana-", StringComparison.OrdinalIgnoreCase);

    internal static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.UserInfo.Length == 0;

    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    private static partial Regex Name();

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$")]
    internal static partial Regex HeaderName();
}
