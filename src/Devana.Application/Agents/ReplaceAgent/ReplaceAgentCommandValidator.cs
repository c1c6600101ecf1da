using Devana.Application.Llm;
using Devana.Application.Tools;

namespace Devana.Application.Agents.ReplaceAgent;

internal sealed class ReplaceAgentCommandValidator(ILlmCatalog catalog, IToolHostPolicy hosts) : AgentSettingsValidator<ReplaceAgentCommand>(catalog, hosts);
