using Devana.Application.Common.Paging;
using Devana.Application.Conversations.Common;
using MediatR;

namespace Devana.Application.Conversations.ListAgentConversations;

/// <summary><c>GET /v1/agents/{id}/conversations</c>: the caller's conversations with a live agent it may see.</summary>
public sealed record ListAgentConversationsQuery(string AgentId, PageRequest Page) : IRequest<ListResult<ConversationDto>>;
