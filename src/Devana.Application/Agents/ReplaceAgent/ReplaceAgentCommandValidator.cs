using Devana.Application.Llm;
using Devana.Application.Tools;
using FluentValidation;

namespace Devana.Application.Agents.ReplaceAgent;

internal sealed class ReplaceAgentCommandValidator : AbstractValidator<ReplaceAgentCommand>
{
    public ReplaceAgentCommandValidator(ILlmCatalog catalog, IToolHostPolicy hosts) => Include(new AgentSettingsValidator(catalog, hosts));
}
