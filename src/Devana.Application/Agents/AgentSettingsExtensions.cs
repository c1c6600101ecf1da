using Devana.Domain.Agents;

namespace Devana.Application.Agents;

public static class AgentSettingsExtensions
{
    /// <summary>
    /// The domain's definition of validated settings, with the <paramref name="tools"/> built from them (secrets protected). Defaults: no model (the catalog's default), every
    /// model allowed, <c>private</c>, no metadata.
    /// </summary>
    /// <exception cref="Domain.Common.BusinessRuleValidationException"><c>lang</c> is not an ISO 639-1 code.</exception>
    public static AgentDefinition ToDefinition(this IAgentSettings settings, IReadOnlyList<AgentTool> tools)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new AgentDefinition(settings.Name ?? string.Empty)
        {
            Description = settings.Description,
            Instructions = settings.Instructions,
            Model = settings.Model,
            AllowedModels = settings.AllowedModels ?? [],
            Temperature = settings.Temperature,
            TopP = settings.TopP,
            MaxTokens = settings.MaxTokens,
            Lang = settings.Lang is null ? null : LanguageCode.Create(settings.Lang),
            WelcomeMessage = settings.WelcomeMessage,
            Visibility = settings.Visibility is null ? AgentVisibility.Private : AgentVisibilityNames.Parse(settings.Visibility),
            Metadata = settings.Metadata ?? new Dictionary<string, string>(),
            Tools = tools,
            MaxToolRounds = settings.MaxToolRounds,
        };
    }
}
