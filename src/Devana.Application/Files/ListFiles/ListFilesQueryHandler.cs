using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Paging;
using Devana.Application.Files.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Files.ListFiles;

internal sealed class ListFilesQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper)
    : IRequestHandler<ListFilesQuery, ListResult<FileDto>>
{
    public async Task<ListResult<FileDto>> Handle(ListFilesQuery request, CancellationToken cancellationToken)
    {
        return await db.Files.AsNoTracking().OwnedBy(caller)
            .ToPageAsync(request.Page, f => f.CreatedAt, f => f.Id, mapper.Map<FileDto>, cancellationToken);
    }
}
