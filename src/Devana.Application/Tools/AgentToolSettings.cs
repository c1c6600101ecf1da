using System.Text.Json;

namespace Devana.Application.Tools;

/// <summary>
/// A <c>tools[]</c> item of the agent object as written (docs/tools.md): <c>{"type": "http", name,
/// description, parameters, url, method, headers, timeout_seconds, requires_confirmation}</c>. A header
/// given as null keeps the value stored for that header of the same tool.
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
}
