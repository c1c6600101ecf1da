using Devana.Application.Llm.Common;
using Devana.Application.Tools;

namespace Devana.Application.Agents.ReplaceAgent;

internal sealed class ReplaceAgentCommandValidator(ILlmCatalog catalog, IToolHostPolicy hosts) : AgentSettingsValidator<ReplaceAgentCommand>(catalog, hosts);
