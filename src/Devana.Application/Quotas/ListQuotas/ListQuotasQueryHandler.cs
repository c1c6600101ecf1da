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
        var workspaceId = caller.WorkspaceId;
        var page = await db.Quotas.AsNoTracking().Where(q => q.WorkspaceId == workspaceId)
            .ToPageAsync(request.Page, q => q.CreatedAt, q => q.Key, QuotaDto.From, cancellationToken);
        return new QuotaListDto(page.Data, page.HasMore, page.NextCursor, QuotaLimitsDto.From(settings.Default));
    }
}
