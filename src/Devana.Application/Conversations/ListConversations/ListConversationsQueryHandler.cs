using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Paging;
using Devana.Application.Conversations.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Conversations.ListConversations;

internal sealed class ListConversationsQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper)
    : IRequestHandler<ListConversationsQuery, ListResult<ConversationDto>>
{
    public async Task<ListResult<ConversationDto>> Handle(ListConversationsQuery request, CancellationToken cancellationToken)
    {
        var cursor = request.Page.Validate();
        var limit = request.Page.EffectiveLimit;
        var query = db.Conversations.AsNoTracking().VisibleTo(caller);
        if (!string.IsNullOrEmpty(request.AgentId))
        {
            query = query.Where(c => c.AgentId == request.AgentId);
        }

        if (cursor is not null)
        {
            var createdAt = new DateTimeOffset(cursor.CreatedAtTicks, TimeSpan.Zero);
            var id = cursor.Id;
            query = query.Where(c => c.CreatedAt < createdAt || (c.CreatedAt == createdAt && string.Compare(c.Id, id) < 0));
        }

        var fetched = await query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return ListResult<ConversationDto>.FromFetched(fetched, limit, c => PageCursor.From(c.CreatedAt, c.Id), mapper.Map<ConversationDto>);
    }
}
