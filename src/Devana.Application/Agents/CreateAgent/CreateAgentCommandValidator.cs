using Devana.Application.Llm.Common;
using Devana.Application.Tools;
using FluentValidation;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.CreateAgent;

internal sealed class CreateAgentCommandValidator : AbstractValidator<CreateAgentCommand>
{
    public CreateAgentCommandValidator(ILlmCatalog catalog, IToolHostPolicy hosts)
    {
        Include(new AgentSettingsValidator(catalog, hosts));
        RuleFor(c => c.FileIds).MustBeFileIds().When(c => c.FileIds is not null);
    }
}
