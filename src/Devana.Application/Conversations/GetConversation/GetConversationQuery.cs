using Devana.Application.Conversations.Common;
using MediatR;

namespace Devana.Application.Conversations.GetConversation;

public sealed record GetConversationQuery(string Id) : IRequest<ConversationDto>;
