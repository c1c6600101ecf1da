using AutoMapper;
using Devana.Domain.Agents;
using Devana.Domain.Common;

namespace Devana.Application.Agents.Common;

public static class AgentDtoExtensions
{
    /// <summary>The agent as <paramref name="actor"/> may see it: its tools and MCP servers only for those who may change it (docs/tools.md).</summary>
    public static AgentDto ToDto(this Agent agent, Actor actor, IMapper mapper)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(mapper);
        var dto = mapper.Map<AgentDto>(agent);
        return agent.CanBeChangedBy(actor) ? dto : dto with { Tools = null, McpServers = null };
    }
}
