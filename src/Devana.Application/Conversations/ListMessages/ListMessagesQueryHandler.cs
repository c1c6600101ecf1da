using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Paging;
using Devana.Application.Conversations.Common;
using Devana.Domain.Conversations;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Conversations.ListMessages;

internal sealed class ListMessagesQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper)
    : IRequestHandler<ListMessagesQuery, ListResult<MessageDto>>
{
    // The cursor's number is the message's position: sequence × MaxChoices + choice index.
    private const int MaxChoices = 16;

    public async Task<ListResult<MessageDto>> Handle(ListMessagesQuery request, CancellationToken cancellationToken)
    {
        var cursor = request.Page.Validate();
        var limit = request.Page.EffectiveLimit;
        var conversation = await db.Conversations.AsNoTracking().FindVisibleAsync(caller, request.ConversationId, cancellationToken);
        var query = db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id);
        if (cursor is not null)
        {
            var sequence = (int)(cursor.CreatedAtTicks / MaxChoices);
            var choice = (int)(cursor.CreatedAtTicks % MaxChoices);
            query = query.Where(m => m.Sequence > sequence || (m.Sequence == sequence && m.ChoiceIndex > choice));
        }

        var fetched = await query.OrderBy(m => m.Sequence).ThenBy(m => m.ChoiceIndex).Take(limit + 1).ToListAsync(cancellationToken);
        return ListResult<MessageDto>.FromFetched(fetched, limit, PositionOf, mapper.Map<MessageDto>);
    }

    private static PageCursor PositionOf(Message message) => new(((long)message.Sequence * MaxChoices) + message.ChoiceIndex, message.Id);
}
