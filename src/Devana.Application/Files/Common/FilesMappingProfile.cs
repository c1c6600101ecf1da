using AutoMapper;
using Devana.Domain.Files;

namespace Devana.Application.Files.Common;

internal sealed class FilesMappingProfile : Profile
{
    public FilesMappingProfile()
    {
        CreateMap<StoredFile, FileDto>()
            .ForMember(d => d.Status, o => o.MapFrom(s => s.Status.ToString().ToLowerInvariant()))
            .ForMember(d => d.CreatedAt, o => o.MapFrom(s => s.CreatedAt.ToUnixTimeSeconds()));
    }
}
