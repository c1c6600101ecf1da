using Devana.Application.Common.Exceptions;
using Devana.Application.Llm.Common;
using Devana.Application.Tools;
using FluentValidation;

namespace Devana.Application.Agents.UpdateAgent;

/// <summary>Checks only the fields present; <c>name</c> and <c>visibility</c> cannot be cleared.</summary>
internal sealed class UpdateAgentCommandValidator : AbstractValidator<UpdateAgentCommand>
{
    public UpdateAgentCommandValidator(ILlmCatalog catalog, IToolHostPolicy hosts)
    {
        When(c => c.Name.IsSet, () =>
            RuleFor(c => c.Name.Value).NotNull().WithErrorCode(ErrorCodes.InvalidValue).WithMessage("name cannot be null.").OverridePropertyName("Name"));
        When(c => c.Visibility.IsSet, () =>
            RuleFor(c => c.Visibility.Value).NotNull().WithErrorCode(ErrorCodes.InvalidValue).WithMessage("visibility cannot be null.")
                .MustBeAVisibility().OverridePropertyName("Visibility"));
        When(c => c.Model.IsSet, () =>
            RuleFor(c => c.Model.Value).MustBeACatalogModel(catalog).OverridePropertyName("Model"));
        When(c => c.AllowedModels.IsSet, () =>
            RuleFor(c => c.AllowedModels.Value).MustAllBeCatalogModels(catalog).OverridePropertyName("AllowedModels"));
        When(c => c.FallbackModels.IsSet, () =>
            RuleFor(c => c.FallbackModels.Value).MustAllBeCatalogModels(catalog, "fallback_models").OverridePropertyName("FallbackModels"));
        When(c => c.Tools.IsSet, () =>
            RuleForEach(c => c.Tools.Value).SetValidator(new AgentToolSettingsValidator(hosts)).OverridePropertyName("Tools"));
        When(c => c.McpServers.IsSet, () =>
            RuleForEach(c => c.McpServers.Value).SetValidator(new McpServerSettingsValidator(hosts)).OverridePropertyName("McpServers"));
    }
}
