using AutoMapper;
using Devana.Domain.Agents;

namespace Devana.Application.Agents;

public sealed class AgentMappingProfile : Profile
{
    public AgentMappingProfile()
    {
        CreateMap<Agent, AgentDto>()
            .ForMember(d => d.Lang, o => o.MapFrom(s => s.Lang == null ? null : s.Lang.Value))
            .ForMember(d => d.Visibility, o => o.MapFrom(s => AgentVisibilityNames.ToName(s.Visibility)))
            .ForMember(d => d.CreatedAt, o => o.MapFrom(s => s.CreatedAt.ToUnixTimeSeconds()))
            .ForMember(d => d.UpdatedAt, o => o.MapFrom(s => s.UpdatedAt.ToUnixTimeSeconds()));

        CreateMap<Agent, ModelDto>()
            .ForMember(d => d.Created, o => o.MapFrom(s => s.CreatedAt.ToUnixTimeSeconds()))
            .ForMember(d => d.OwnedBy, o => o.MapFrom(s => s.OwnerId));
    }
}
