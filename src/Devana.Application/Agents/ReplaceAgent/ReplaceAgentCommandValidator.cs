using Devana.Application.Llm.Common;
using Devana.Application.Tools;
using FluentValidation;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.ReplaceAgent;

internal sealed class ReplaceAgentCommandValidator : AbstractValidator<ReplaceAgentCommand>
{
    public ReplaceAgentCommandValidator(ILlmCatalog catalog, IToolHostPolicy hosts) => Include(new AgentSettingsValidator(catalog, hosts));
}
