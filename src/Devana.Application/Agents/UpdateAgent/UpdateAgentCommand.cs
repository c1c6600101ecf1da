using Devana.Application.Common.Models;
using Devana.Domain.Agents;
using Devana.Application.Tools;
using MediatR;

namespace Devana.Application.Agents.UpdateAgent;

/// <summary>
/// <c>PATCH /v1/agents/{id}</c>: only the fields present change; a present null clears a nullable
/// field (<c>model</c> back to the catalog default, <c>allowed_models</c> and <c>metadata</c> to empty).
/// </summary>
public sealed record UpdateAgentCommand(
    string Id,
    Optional<string?> Name = default,
    Optional<string?> Description = default,
    Optional<string?> Instructions = default,
    Optional<string?> Model = default,
    Optional<IReadOnlyList<string>?> AllowedModels = default,
    Optional<double?> Temperature = default,
    Optional<double?> TopP = default,
    Optional<int?> MaxTokens = default,
    Optional<string?> Lang = default,
    Optional<string?> WelcomeMessage = default,
    Optional<string?> Visibility = default,
    Optional<IReadOnlyDictionary<string, string>?> Metadata = default,
    Optional<IReadOnlyList<AgentToolSettings>?> Tools = default,
    Optional<int?> MaxToolRounds = default) : IRequest<AgentDto>
{
    /// <summary>The agent's settings with this patch laid over them (fields already validated; <see cref="Tools"/> are built by the handler, which protects their secrets).</summary>
    /// <exception cref="Domain.Common.BusinessRuleValidationException"><c>lang</c> is not an ISO 639-1 code.</exception>
    public AgentDefinition ApplyTo(AgentDefinition current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current with
        {
            Name = Name.IsSet ? Name.Value ?? string.Empty : current.Name,
            Description = Description.GetValueOrDefault(current.Description),
            Instructions = Instructions.GetValueOrDefault(current.Instructions),
            Model = Model.GetValueOrDefault(current.Model),
            AllowedModels = AllowedModels.IsSet ? AllowedModels.Value ?? [] : current.AllowedModels,
            Temperature = Temperature.GetValueOrDefault(current.Temperature),
            TopP = TopP.GetValueOrDefault(current.TopP),
            MaxTokens = MaxTokens.GetValueOrDefault(current.MaxTokens),
            Lang = Lang.IsSet ? (Lang.Value is null ? null : LanguageCode.Create(Lang.Value)) : current.Lang,
            WelcomeMessage = WelcomeMessage.GetValueOrDefault(current.WelcomeMessage),
            Visibility = Visibility is { IsSet: true, Value: { } visibility } ? AgentVisibilityNames.Parse(visibility) : current.Visibility,
            Metadata = Metadata.IsSet ? Metadata.Value ?? new Dictionary<string, string>() : current.Metadata,
            MaxToolRounds = MaxToolRounds.GetValueOrDefault(current.MaxToolRounds),
        };
    }
}
