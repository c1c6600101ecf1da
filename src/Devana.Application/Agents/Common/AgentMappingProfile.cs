using AutoMapper;
using Devana.Application.Tools;
using Devana.Domain.Agents;

namespace Devana.Application.Agents.Common;

/// <summary>
/// Agent settings between the wire (<see cref="AgentSettings"/>, <see cref="AgentDto"/>) and the domain
/// (<see cref="AgentDefinition"/>, <see cref="Agent"/>): by name, so that a new setting needs no line here.
/// Only the fields whose wire form differs (language code, visibility name, tools without their secrets) are written out.
/// </summary>
public sealed class AgentMappingProfile : Profile
{
    public AgentMappingProfile()
    {
        CreateMap<Agent, AgentSettings>()
            .ForMember(d => d.Lang, o => o.MapFrom(s => s.Lang == null ? null : s.Lang.Value))
            .ForMember(d => d.Visibility, o => o.MapFrom(s => AgentVisibilityNames.ToName(s.Visibility)))
            .ForMember(d => d.Tools, o => o.MapFrom(s => s.Tools.Select(AgentToolSettings.From).ToList()))
            .ForMember(d => d.McpServers, o => o.MapFrom(s => s.McpServers.Select(McpServerSettings.From).ToList()));

        CreateMap<Agent, AgentDto>()
            .IncludeBase<Agent, AgentSettings>()
            .ForMember(d => d.MaxToolRounds, o => o.MapFrom(s => s.MaxToolRounds ?? Agent.DefaultMaxToolRounds))
            .ForMember(d => d.CreatedAt, o => o.MapFrom(s => s.CreatedAt.ToUnixTimeSeconds()))
            .ForMember(d => d.UpdatedAt, o => o.MapFrom(s => s.UpdatedAt.ToUnixTimeSeconds()));

        // Lang and visibility are parsed, and the tools built (secrets protected), by AgentSettings.ToDefinition.
        CreateMap<AgentSettings, AgentDefinition>()
            .ForMember(d => d.Lang, o => o.Ignore())
            .ForMember(d => d.Visibility, o => o.Ignore())
            .ForMember(d => d.Tools, o => o.Ignore())
            .ForMember(d => d.McpServers, o => o.Ignore());

        CreateMap<Agent, ModelDto>()
            .ForMember(d => d.Created, o => o.MapFrom(s => s.CreatedAt.ToUnixTimeSeconds()))
            .ForMember(d => d.OwnedBy, o => o.MapFrom(s => s.OwnerId));
    }
}
