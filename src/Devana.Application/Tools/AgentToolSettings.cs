using System.Text.Json;
using Devana.Domain.Agents;

namespace Devana.Application.Tools;

/// <summary>
/// A <c>tools[]</c> item of the agent object as written (docs/tools.md): <c>{"type": "http", name,
/// description, parameters, url, method, headers, timeout_seconds, requires_confirmation}</c>. A header
/// given as null keeps the value stored for that header of the same tool; the agent object shows every
/// header so (its value write-only), which a client can send back as it read it.
/// </summary>
public sealed record AgentToolSettings(
    string? Type,
    string? Name,
    string? Description = null,
    JsonElement? Parameters = null,
    string? Url = null,
    string? Method = null,
    IReadOnlyDictionary<string, string?>? Headers = null,
    int? TimeoutSeconds = null,
    bool? RequiresConfirmation = null)
{
    public const string Http = "http";

    /// <summary>A stored tool as the agent object shows it: every setting, header values never (each name maps to null).</summary>
    public static AgentToolSettings From(AgentTool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        using var parameters = JsonDocument.Parse(tool.Parameters);
        return new AgentToolSettings(
            Http,
            tool.Name,
            tool.Description,
            parameters.RootElement.Clone(),
            tool.Url,
            tool.Method == AgentToolMethod.Get ? "GET" : "POST",
            tool.Headers.Keys.ToDictionary(name => name, _ => (string?)null, StringComparer.OrdinalIgnoreCase),
            tool.TimeoutSeconds,
            tool.RequiresConfirmation);
    }
}
