using Devana.Application.Llm.Common;
using Devana.Application.Tools;
using FluentValidation;

namespace Devana.Application.Agents.Common;

/// <summary>
/// The input rules of <see cref="AgentSettings"/> that need more than the agent (the LLM catalog, the tool
/// host policy) or concern the wire (the visibility names); create and replace include it whole, PATCH for
/// the fields its body holds.
/// </summary>
internal sealed class AgentSettingsValidator : AbstractValidator<AgentSettings>
{
    public AgentSettingsValidator(ILlmCatalog catalog, IToolHostPolicy hosts)
    {
        RuleFor(c => c.Name).NotNull().WithMessage("name is required.");
        RuleFor(c => c.Model).MustBeACatalogModel(catalog);
        RuleFor(c => c.AllowedModels).MustAllBeCatalogModels(catalog);
        RuleFor(c => c.FallbackModels).MustAllBeCatalogModels(catalog, "fallback_models");
        RuleFor(c => c.Visibility).MustBeAVisibility();
        RuleForEach(c => c.Tools).SetValidator(new AgentToolSettingsValidator(hosts));
        RuleForEach(c => c.McpServers).SetValidator(new McpServerSettingsValidator(hosts));
    }
}
