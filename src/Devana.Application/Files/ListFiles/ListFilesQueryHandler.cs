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
        var cursor = request.Page.Validate();
        var limit = request.Page.EffectiveLimit;
        var query = db.Files.AsNoTracking().OwnedBy(caller);
        if (cursor is not null)
        {
            var createdAt = new DateTimeOffset(cursor.CreatedAtTicks, TimeSpan.Zero);
            var id = cursor.Id;
            query = query.Where(f => f.CreatedAt < createdAt || (f.CreatedAt == createdAt && string.Compare(f.Id, id) < 0));
        }

        var fetched = await query.OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return ListResult<FileDto>.FromFetched(fetched, limit, f => PageCursor.From(f.CreatedAt, f.Id), mapper.Map<FileDto>);
    }
}
