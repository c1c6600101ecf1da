using AutoMapper;

namespace Devana.Application.Llm.ListLlms;

public sealed class LlmMappingProfile : Profile
{
    public LlmMappingProfile() => CreateMap<LlmModel, LlmDto>();
}
