using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Paging;
using Devana.Application.Quotas.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Quotas.ListQuotas;

/// <summary>Newest first, keyset-paged on (created_at, key): the key tells apart quotas made in the same tick.</summary>
internal sealed class ListQuotasQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, QuotaSettings settings)
    : IRequestHandler<ListQuotasQuery, QuotaListDto>
{
    public async Task<QuotaListDto> Handle(ListQuotasQuery request, CancellationToken cancellationToken)
    {
        var cursor = request.Page.Validate();
        var limit = request.Page.EffectiveLimit;
        var workspaceId = caller.WorkspaceId;
        var query = db.Quotas.AsNoTracking().Where(q => q.WorkspaceId == workspaceId);
        if (cursor is not null)
        {
            var createdAt = new DateTimeOffset(cursor.CreatedAtTicks, TimeSpan.Zero);
            var key = cursor.Id;
            query = query.Where(q => q.CreatedAt < createdAt || (q.CreatedAt == createdAt && string.Compare(q.Key, key) < 0));
        }

        var fetched = await query.OrderByDescending(q => q.CreatedAt).ThenByDescending(q => q.Key).Take(limit + 1).ToListAsync(cancellationToken);
        var page = ListResult<QuotaDto>.FromFetched(fetched, limit, q => PageCursor.From(q.CreatedAt, q.Key), QuotaDto.From);
        return new QuotaListDto(page.Data, page.HasMore, page.NextCursor, QuotaLimitsDto.From(settings.Default));
    }
}
