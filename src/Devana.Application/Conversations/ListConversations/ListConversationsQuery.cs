using Devana.Application.Common.Paging;
using Devana.Application.Conversations.Common;
using MediatR;

namespace Devana.Application.Conversations.ListConversations;

public sealed record ListConversationsQuery(PageRequest Page, string? AgentId) : IRequest<ListResult<ConversationDto>>;
