using AutoMapper;
using Devana.Application.Tools;
using Devana.Domain.Agents;

namespace Devana.Application.Agents;

public sealed class AgentMappingProfile : Profile
{
    public AgentMappingProfile()
    {
        CreateMap<Agent, AgentDto>()
            .ForMember(d => d.Lang, o => o.MapFrom(s => s.Lang == null ? null : s.Lang.Value))
            .ForMember(d => d.Visibility, o => o.MapFrom(s => AgentVisibilityNames.ToName(s.Visibility)))
            .ForMember(d => d.Tools, o => o.MapFrom(s => s.Tools.Select(AgentToolDto.From).ToList()))
            .ForMember(d => d.MaxToolRounds, o => o.MapFrom(s => s.MaxToolRounds ?? Agent.DefaultMaxToolRounds))
            .ForMember(d => d.CreatedAt, o => o.MapFrom(s => s.CreatedAt.ToUnixTimeSeconds()))
            .ForMember(d => d.UpdatedAt, o => o.MapFrom(s => s.UpdatedAt.ToUnixTimeSeconds()));

        CreateMap<Agent, ModelDto>()
            .ForMember(d => d.Created, o => o.MapFrom(s => s.CreatedAt.ToUnixTimeSeconds()))
            .ForMember(d => d.OwnedBy, o => o.MapFrom(s => s.OwnerId));
    }
}
