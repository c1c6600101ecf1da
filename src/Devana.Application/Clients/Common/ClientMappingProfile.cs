using AutoMapper;
using Devana.Domain.Clients;

namespace Devana.Application.Clients.Common;

internal sealed class ClientMappingProfile : Profile
{
    public ClientMappingProfile()
    {
        CreateMap<ApiClient, ClientDto>()
            .ForMember(dto => dto.CreatedAt, options => options.MapFrom(client => client.CreatedAt.ToUnixTimeSeconds()));
        CreateMap<ApiClient, ClientWithSecretDto>()
            .ForMember(dto => dto.CreatedAt, options => options.MapFrom(client => client.CreatedAt.ToUnixTimeSeconds()))
            .ForMember(dto => dto.ClientSecret, options => options.Ignore());
    }
}
