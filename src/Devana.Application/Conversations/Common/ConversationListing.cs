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
        var query = db.Conversations.AsNoTracking().VisibleTo(caller);
        if (!string.IsNullOrEmpty(agentId))
        {
            query = query.Where(c => c.AgentId == agentId);
        }

        return await query.ToPageAsync(page, c => c.CreatedAt, c => c.Id, mapper.Map<ConversationDto>, cancellationToken);
    }
}
