using AutoMapper;
using Devana.Application.Llm.Common;

namespace Devana.Application.Llm.ListLlms;

public sealed class LlmMappingProfile : Profile
{
    public LlmMappingProfile() => CreateMap<LlmModel, LlmDto>();
}
