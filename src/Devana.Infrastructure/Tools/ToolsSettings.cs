using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Devana.Infrastructure.Tools;

/// <summary>
/// <c>Devana:Tools</c> (docs/tools.md): where tools may be (<see cref="AllowedHosts"/>, empty by default:
/// no tool can be written until an admin lists hosts) and the limits of one tool call.
/// </summary>
internal sealed record ToolsSettings(IReadOnlyList<string> AllowedHosts, int MaxOutputTokens, long MaxResponseBytes, int MaxRedirects)
{
    public const string Section = "Devana:Tools";
    public const int DefaultMaxOutputTokens = 4000;
    public const long DefaultMaxResponseBytes = 1024 * 1024;
    public const int DefaultMaxRedirects = 3;

    /// <exception cref="InvalidOperationException">A value that is not a positive number, naming its key.</exception>
    public static ToolsSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var hosts = section.GetSection("AllowedHosts");
        var allowed = hosts.GetChildren().Any()
            ? hosts.GetChildren().Select(c => c.Value ?? string.Empty).ToList()
            : (hosts.Value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return new ToolsSettings(
            allowed.Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).ToList(),
            (int)Positive(section, "MaxOutputTokens", DefaultMaxOutputTokens),
            Positive(section, "MaxResponseBytes", DefaultMaxResponseBytes),
            (int)Positive(section, "MaxRedirects", DefaultMaxRedirects, allowZero: true));
    }

    private static long Positive(IConfigurationSection section, string key, long fallback, bool allowZero = false)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < (allowZero ? 0 : 1))
        {
            throw new InvalidOperationException($"Configuration key '{section.Path}:{key}' must be a {(allowZero ? "non-negative" : "positive")} whole number (got '{text}').");
        }

        return value;
    }
}
