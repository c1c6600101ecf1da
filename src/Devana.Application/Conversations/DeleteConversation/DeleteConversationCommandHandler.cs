using Devana.Application.Common.Interfaces;
using Devana.Application.Conversations.Common;
using MediatR;

namespace Devana.Application.Conversations.DeleteConversation;

internal sealed class DeleteConversationCommandHandler(IApplicationDbContext db, ICurrentPrincipal caller, TimeProvider clock)
    : IRequestHandler<DeleteConversationCommand, Unit>
{
    public async Task<Unit> Handle(DeleteConversationCommand request, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.FindVisibleAsync(caller, request.Id, cancellationToken);
        await db.SaveChangeAsync(conversation, c => c.Delete(clock.GetUtcNow()), cancellationToken);
        return Unit.Value;
    }
}
