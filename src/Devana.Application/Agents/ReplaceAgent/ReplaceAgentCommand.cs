using Devana.Application.Tools;
using MediatR;

namespace Devana.Application.Agents.ReplaceAgent;

/// <summary><c>PUT /v1/agents/{id}</c>: every setting replaced; absent ones return to their defaults.</summary>
public sealed record ReplaceAgentCommand(
    string Id,
    string? Name,
    string? Description = null,
    string? Instructions = null,
    string? Model = null,
    IReadOnlyList<string>? AllowedModels = null,
    double? Temperature = null,
    double? TopP = null,
    int? MaxTokens = null,
    string? Lang = null,
    string? WelcomeMessage = null,
    string? Visibility = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    IReadOnlyList<AgentToolSettings>? Tools = null,
    int? MaxToolRounds = null) : IRequest<AgentDto>, IAgentSettings;
