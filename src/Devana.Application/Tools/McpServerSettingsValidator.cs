using System.Text.RegularExpressions;
using Devana.Application.Common.Exceptions;
using FluentValidation;

namespace Devana.Application.Tools;

/// <summary>
/// One <c>mcp_servers[]</c> item (docs/tools.md): a name, an http(s) URL that <c>Devana:Tools:AllowedHosts</c>
/// allows, headers as for HTTP tools, and tool names to offer.
/// </summary>
public sealed partial class McpServerSettingsValidator : AbstractValidator<McpServerSettings>
{
    public McpServerSettingsValidator(IToolHostPolicy hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        RuleFor(s => s.Name).NotNull().WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("name is required.")
            .Must(name => name is null || Name().IsMatch(name)).WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage((_, name) => $"name must be 1 to 32 characters of a-z, 0-9, _ and - (got '{name}').");
        RuleFor(s => s.Url).NotNull().WithErrorCode(ErrorCodes.MissingRequiredParameter).WithMessage("url is required.")
            .Must(url => url is null || AgentToolSettingsValidator.IsHttpUrl(url)).WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage((_, url) => $"url must be an absolute http or https URL without user info (got '{url}').")
            .DependentRules(() => RuleFor(s => s.Url)
                .Must(url => url is null || hosts.RefusalFor(new Uri(url)) is null).WithErrorCode(ErrorCodes.HostNotAllowed)
                .WithMessage((_, url) => hosts.RefusalFor(new Uri(url!))));
        RuleFor(s => s.Headers).Must(headers => headers is null || headers.Count <= AgentToolSettingsValidator.MaxHeaders).WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage($"headers has at most {AgentToolSettingsValidator.MaxHeaders} entries.");
        RuleForEach(s => s.Headers).Must(h => AgentToolSettingsValidator.HeaderName().IsMatch(h.Key) && !AgentToolSettingsValidator.IsReserved(h.Key) && !h.Key.StartsWith("mcp-", StringComparison.OrdinalIgnoreCase))
            .WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage((_, h) => $"'{h.Key}' is not a header an MCP server can be given (a header name that Devana or the MCP transport does not set itself).")
            .Must(h => h.Value is null || (h.Value.Length <= AgentToolSettingsValidator.MaxHeaderValueLength && !h.Value.Any(char.IsControl))).WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage((_, h) => $"The value of the header '{h.Key}' must be at most {AgentToolSettingsValidator.MaxHeaderValueLength} characters without control characters.");
        RuleFor(s => s.AllowedTools).Must(tools => tools is null || (tools.Count <= 64 && tools.All(t => t is { Length: > 0 and <= 128 }))).WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage("allowed_tools holds at most 64 tool names of 1 to 128 characters.");
    }

    [GeneratedRegex("^[a-z0-9_-]{1,32}$")]
    private static partial Regex Name();
}
