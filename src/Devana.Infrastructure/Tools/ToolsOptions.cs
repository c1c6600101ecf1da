using Microsoft.Extensions.Configuration;

namespace Devana.Infrastructure.Tools;

/// <summary>
/// <c>Devana:Tools</c> (docs/tools.md): where tools may be (<see cref="AllowedHosts"/>, empty by default: no
/// tool can be written until an admin lists hosts) and the limits of one tool call; read into <see cref="ToolsSettings"/>.
/// </summary>
internal sealed class ToolsOptions
{
    public const string Section = "Devana:Tools";

    /// <summary>Host names or patterns tools may be at: an array, or one comma-separated string.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    public int MaxOutputTokens { get; set; } = ToolsSettings.DefaultMaxOutputTokens;

    public long MaxResponseBytes { get; set; } = ToolsSettings.DefaultMaxResponseBytes;

    public int MaxRedirects { get; set; } = ToolsSettings.DefaultMaxRedirects;

    public int McpListSeconds { get; set; } = ToolsSettings.DefaultMcpListSeconds;

    public int McpTimeoutSeconds { get; set; } = ToolsSettings.DefaultMcpTimeoutSeconds;

    /// <summary>
    /// The comma-separated form (<c>Devana__Tools__AllowedHosts=a.example.com,b.example.com</c>, handy in an
    /// environment variable): the binder fills a list from an array only, so a single string is taken here.
    /// </summary>
    public static void AddCommaSeparatedHosts(ToolsOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        if (options.AllowedHosts.Count == 0 && configuration[$"{Section}:AllowedHosts"] is { Length: > 0 } list)
        {
            options.AllowedHosts = [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }
    }

    /// <summary>The checked settings the tool clients use: hosts trimmed, lower-cased, empty entries dropped.</summary>
    public ToolsSettings ToSettings() => new(
        AllowedHosts.Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).ToList(),
        MaxOutputTokens,
        MaxResponseBytes,
        MaxRedirects,
        McpListSeconds,
        McpTimeoutSeconds);
}
