using MediatR;

namespace Devana.Application.Conversations.DeleteConversation;

/// <summary>Soft delete: the conversation disappears from every list and lookup; its rows stay.</summary>
public sealed record DeleteConversationCommand(string Id) : IRequest<Unit>;
