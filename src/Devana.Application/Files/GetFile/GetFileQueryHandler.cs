using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Files.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Files.GetFile;

internal sealed class GetFileQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper)
    : IRequestHandler<GetFileQuery, FileDto>
{
    public async Task<FileDto> Handle(GetFileQuery request, CancellationToken cancellationToken) =>
        mapper.Map<FileDto>(await db.Files.AsNoTracking().FindOwnedAsync(caller, request.Id, cancellationToken));
}
