using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Paging;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Conversations.Common;

/// <summary>One page of the conversations a caller may see, newest first, optionally of one agent.</summary>
internal static class ConversationListing
{
    public static async Task<ListResult<ConversationDto>> ListAsync(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper, PageRequest page, string? agentId, CancellationToken cancellationToken)
    {
        var cursor = page.Validate();
        var limit = page.EffectiveLimit;
        var query = db.Conversations.AsNoTracking().VisibleTo(caller);
        if (!string.IsNullOrEmpty(agentId))
        {
            query = query.Where(c => c.AgentId == agentId);
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
