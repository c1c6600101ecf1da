using System.Text.Json;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Agents;

namespace Devana.Application.Tools;

/// <summary>
/// Validated <see cref="AgentToolSettings"/> as the domain's <see cref="AgentTool"/>s: header values
/// protected (encrypted) here, so that no plain secret reaches the agent row; a header given as null
/// keeps the value stored for the same header of the same tool (so a client can send back what it read).
/// </summary>
public static class AgentToolDefinitions
{
    private static readonly JsonSerializerOptions s_compact = new() { WriteIndented = false };

    /// <exception cref="BadRequestException">A null header that has no stored value to keep.</exception>
    public static IReadOnlyList<AgentTool> Build(IReadOnlyList<AgentToolSettings>? tools, IReadOnlyList<AgentTool> current, ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(protector);
        return (tools ?? []).Select((tool, i) => Build(tool, i, current.FirstOrDefault(c => c.Name == tool.Name), protector)).ToList();
    }

    private static AgentTool Build(AgentToolSettings tool, int index, AgentTool? stored, ISecretProtector protector)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in tool.Headers ?? new Dictionary<string, string?>())
        {
            if (value is not null)
            {
                headers[name] = protector.Protect(value);
            }
            else if (stored?.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } kept)
            {
                headers[name] = kept.Value;
            }
            else
            {
                throw new BadRequestException(
                    $"tools[{index}].headers.{name} is null, which keeps the stored value, but the tool '{tool.Name}' has no stored value for it; give the value.",
                    $"tools[{index}].headers.{name}");
            }
        }

        var parameters = tool.Parameters is { } schema ? JsonSerializer.Serialize(schema, s_compact) : """{"type":"object","properties":{}}""";
        return new AgentTool(
            tool.Name!,
            tool.Description ?? string.Empty,
            parameters,
            tool.Url!,
            string.Equals(tool.Method, "GET", StringComparison.OrdinalIgnoreCase) ? AgentToolMethod.Get : AgentToolMethod.Post,
            headers,
            tool.TimeoutSeconds ?? AgentTool.DefaultTimeoutSeconds,
            tool.RequiresConfirmation ?? false);
    }
}
