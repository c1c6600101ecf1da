using AutoMapper;
using Devana.Application.Agents.Common;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Paging;
using Devana.Application.Conversations.Common;
using MediatR;

namespace Devana.Application.Conversations.ListAgentConversations;

internal sealed class ListAgentConversationsQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper)
    : IRequestHandler<ListAgentConversationsQuery, ListResult<ConversationDto>>
{
    public async Task<ListResult<ConversationDto>> Handle(ListAgentConversationsQuery request, CancellationToken cancellationToken)
    {
        var actor = caller.ToActor();
        var agent = await db.GetAgentAsync(actor, request.AgentId, cancellationToken);
        agent.EnsureCanBeViewedBy(actor);

        return await ConversationListing.ListAsync(db, caller, mapper, request.Page, agent.Id, cancellationToken);
    }
}
