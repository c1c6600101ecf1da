using Devana.Application.Llm.Common;
using Devana.Application.Tools;
using FluentValidation;

namespace Devana.Application.Agents.CreateAgent;

internal sealed class CreateAgentCommandValidator : AgentSettingsValidator<CreateAgentCommand>
{
    public CreateAgentCommandValidator(ILlmCatalog catalog, IToolHostPolicy hosts)
        : base(catalog, hosts)
    {
        RuleFor(c => c.FileIds).MustBeFileIds().When(c => c.FileIds is not null);
    }
}
