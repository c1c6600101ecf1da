using AutoMapper;
using Devana.Application.Common.Interfaces;
using Devana.Application.Conversations.Common;
using MediatR;

namespace Devana.Application.Conversations.UpdateConversation;

internal sealed class UpdateConversationCommandHandler(IApplicationDbContext db, ICurrentPrincipal caller, IMapper mapper, TimeProvider clock)
    : IRequestHandler<UpdateConversationCommand, ConversationDto>
{
    public async Task<ConversationDto> Handle(UpdateConversationCommand request, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.FindVisibleAsync(caller, request.Id, cancellationToken);
        await db.SaveChangeAsync(conversation, c =>
        {
            var now = clock.GetUtcNow();
            if (request.Title is not null)
            {
                c.Rename(request.Title, now);
            }

            if (request.Metadata is not null)
            {
                c.SetMetadata(request.Metadata, now);
            }
        }, cancellationToken);
        return mapper.Map<ConversationDto>(conversation);
    }
}
