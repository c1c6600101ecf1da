using Devana.Application.Tools;
using MediatR;

namespace Devana.Application.Agents.CreateAgent;

/// <summary>
/// <c>POST /v1/agents</c>: a new agent owned by the caller; <see cref="Id"/> a slug, or null for <c>agt_…</c>;
/// <see cref="FileIds"/> the caller's processed uploads to make its knowledge.
/// </summary>
public sealed record CreateAgentCommand(
    string? Name,
    string? Id = null,
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
    int? MaxToolRounds = null,
    IReadOnlyList<McpServerSettings>? McpServers = null,
    IReadOnlyList<string>? FallbackModels = null,
    IReadOnlyList<string>? FileIds = null) : IRequest<AgentDto>, IAgentSettings;
