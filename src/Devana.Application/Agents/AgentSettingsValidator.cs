using Devana.Application.Llm.Common;
using Devana.Application.Tools;
using FluentValidation;

namespace Devana.Application.Agents;

/// <summary>The input rules shared by create (<c>POST</c>) and replace (<c>PUT</c>).</summary>
public abstract class AgentSettingsValidator<T> : AbstractValidator<T>
    where T : IAgentSettings
{
    protected AgentSettingsValidator(ILlmCatalog catalog, IToolHostPolicy hosts)
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
