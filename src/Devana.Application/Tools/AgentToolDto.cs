using Devana.Domain.Agents;

namespace Devana.Application.Tools;

/// <summary>
/// An agent tool as the agent object shows it to its owner or a workspace admin: every setting, but
/// header values never (each header name maps to null: write-only).
/// </summary>
public sealed record AgentToolDto(
    string Type,
    string Name,
    string Description,
    System.Text.Json.JsonElement Parameters,
    string Url,
    string Method,
    IReadOnlyDictionary<string, string?> Headers,
    int TimeoutSeconds,
    bool RequiresConfirmation)
{
    public static AgentToolDto From(AgentTool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        using var parameters = System.Text.Json.JsonDocument.Parse(tool.Parameters);
        return new AgentToolDto(
            AgentToolSettings.Http,
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
