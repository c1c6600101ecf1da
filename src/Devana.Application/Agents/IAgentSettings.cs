namespace Devana.Application.Agents;

/// <summary>
/// The settings an agent is created with (<c>POST</c>) or replaced by (<c>PUT</c>), as the wire carries
/// them: absent and null are the same here, and mean the default.
/// </summary>
public interface IAgentSettings
{
    string? Name { get; }

    string? Description { get; }

    string? Instructions { get; }

    string? Model { get; }

    IReadOnlyList<string>? AllowedModels { get; }

    double? Temperature { get; }

    double? TopP { get; }

    int? MaxTokens { get; }

    string? Lang { get; }

    string? WelcomeMessage { get; }

    string? Visibility { get; }

    IReadOnlyDictionary<string, string>? Metadata { get; }

    /// <summary>The tools Devana runs for the agent (docs/tools.md).</summary>
    IReadOnlyList<Tools.AgentToolSettings>? Tools { get; }

    int? MaxToolRounds { get; }
}
