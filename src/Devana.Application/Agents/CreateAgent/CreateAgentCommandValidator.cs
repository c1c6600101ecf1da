using Devana.Application.Llm;
using Devana.Application.Tools;

namespace Devana.Application.Agents.CreateAgent;

internal sealed class CreateAgentCommandValidator(ILlmCatalog catalog, IToolHostPolicy hosts) : AgentSettingsValidator<CreateAgentCommand>(catalog, hosts);
