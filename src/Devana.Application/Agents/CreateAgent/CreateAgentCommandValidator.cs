using Devana.Application.Llm;

namespace Devana.Application.Agents.CreateAgent;

internal sealed class CreateAgentCommandValidator(ILlmCatalog catalog) : AgentSettingsValidator<CreateAgentCommand>(catalog);
