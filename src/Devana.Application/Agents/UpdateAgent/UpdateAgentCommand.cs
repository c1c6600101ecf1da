using System.Reflection;
using System.Text.Json.Serialization;
using Devana.Application.Common.Models;
using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.UpdateAgent;

/// <summary>
/// <c>PATCH /v1/agents/{id}</c>: some of the <see cref="AgentSettings"/>, laid over the agent's current ones as a
/// JSON merge patch at the top level: a field the body holds replaces the current value, a null clears it
/// (back to its default), an absent one is left as it is; <c>metadata</c>, <c>tools</c> and lists are replaced whole.
/// The result is then checked and stored as a <c>PUT</c> of it would be, so PATCH lists no field of its own.
/// </summary>
public sealed record UpdateAgentCommand() : AgentSettings((string?)null), IRequest<AgentDto>, IPatch
{
    private static readonly PropertyInfo[] s_settings = typeof(AgentSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .ToArray();

    private readonly HashSet<string> _present = new(StringComparer.Ordinal);

    /// <summary>The agent, from the path (a body's <c>id</c> is only checked against it: it cannot change).</summary>
    [JsonIgnore]
    public string AgentId { get; init; } = string.Empty;

    /// <summary>An <c>id</c> in the body: absent, or the path's.</summary>
    public string? Id { get; init; }

    public void MarkPresent(string propertyName) => _present.Add(propertyName);

    public bool IsPresent(string propertyName) => _present.Contains(propertyName);

    /// <summary>The <paramref name="current"/> settings with the fields this body holds laid over them.</summary>
    public AgentSettings ApplyTo(AgentSettings current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var merged = current with { };
        foreach (var property in s_settings.Where(p => IsPresent(p.Name)))
        {
            property.SetValue(merged, property.GetValue(this));
        }

        return merged;
    }
}
