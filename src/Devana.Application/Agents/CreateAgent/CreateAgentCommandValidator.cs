using Devana.Application.Llm;
using FluentValidation;

namespace Devana.Application.Agents.CreateAgent;

internal sealed class CreateAgentCommandValidator : AgentSettingsValidator<CreateAgentCommand>
{
    public CreateAgentCommandValidator(ILlmCatalog catalog)
        : base(catalog)
    {
        RuleFor(c => c.FileIds).MustBeFileIds().When(c => c.FileIds is not null);
    }
}
