using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Paging;
using Devana.Application.Conversations.Common;
using MediatR;

namespace Devana.Application.Conversations.ListConversations;

internal sealed class ListConversationsQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper)
    : IRequestHandler<ListConversationsQuery, ListResult<ConversationDto>>
{
    public Task<ListResult<ConversationDto>> Handle(ListConversationsQuery request, CancellationToken cancellationToken) =>
        ConversationListing.ListAsync(db, caller, mapper, request.Page, request.AgentId, cancellationToken);
}
