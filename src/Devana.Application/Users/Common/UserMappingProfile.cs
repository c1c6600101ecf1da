using AutoMapper;
using Devana.Domain.Users;

namespace Devana.Application.Users.Common;

internal sealed class UserMappingProfile : Profile
{
    public UserMappingProfile()
    {
        CreateMap<User, UserDto>()
            .ForMember(dto => dto.CreatedAt, options => options.MapFrom(user => user.CreatedAt.ToUnixTimeSeconds()));
    }
}
