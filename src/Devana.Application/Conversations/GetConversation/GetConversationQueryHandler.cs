using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Conversations.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Conversations.GetConversation;

internal sealed class GetConversationQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper)
    : IRequestHandler<GetConversationQuery, ConversationDto>
{
    public async Task<ConversationDto> Handle(GetConversationQuery request, CancellationToken cancellationToken) =>
        mapper.Map<ConversationDto>(await db.Conversations.AsNoTracking().FindVisibleAsync(caller, request.Id, cancellationToken));
}
