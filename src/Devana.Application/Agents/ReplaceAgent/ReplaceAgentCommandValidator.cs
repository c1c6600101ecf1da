using Devana.Application.Llm;

namespace Devana.Application.Agents.ReplaceAgent;

internal sealed class ReplaceAgentCommandValidator(ILlmCatalog catalog) : AgentSettingsValidator<ReplaceAgentCommand>(catalog);
