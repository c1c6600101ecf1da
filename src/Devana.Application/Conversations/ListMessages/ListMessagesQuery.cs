using Devana.Application.Common.Paging;
using Devana.Application.Conversations.Common;
using MediatR;

namespace Devana.Application.Conversations.ListMessages;

/// <summary>A conversation's messages, oldest first (the one list that is not newest first, as the contract says).</summary>
public sealed record ListMessagesQuery(string ConversationId, PageRequest Page) : IRequest<ListResult<MessageDto>>;
