using Devana.Application.Conversations.Common;
using MediatR;

namespace Devana.Application.Conversations.UpdateConversation;

/// <summary><c>PATCH /v1/conversations/{id}</c>: absent fields stay as they are.</summary>
public sealed record UpdateConversationCommand(string Id, string? Title, IReadOnlyDictionary<string, string>? Metadata) : IRequest<ConversationDto>;
