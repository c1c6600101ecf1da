namespace Devana.Infrastructure.Tools;

/// <summary>
/// <c>Devana:Tools</c> (docs/tools.md), checked (<see cref="ToolsOptions"/>): where tools may be (<see cref="AllowedHosts"/>, empty by default:
/// no tool can be written until an admin lists hosts) and the limits of one tool call.
/// </summary>
internal sealed record ToolsSettings(IReadOnlyList<string> AllowedHosts, int MaxOutputTokens, long MaxResponseBytes, int MaxRedirects, int McpListSeconds = ToolsSettings.DefaultMcpListSeconds, int McpTimeoutSeconds = ToolsSettings.DefaultMcpTimeoutSeconds)
{
    public const int DefaultMcpListSeconds = 60;
    public const int DefaultMcpTimeoutSeconds = 30;

    public const int DefaultMaxOutputTokens = 4000;
    public const long DefaultMaxResponseBytes = 1024 * 1024;
    public const int DefaultMaxRedirects = 3;
}
