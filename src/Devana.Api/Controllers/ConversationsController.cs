using Devana.Api.Auth;
using Devana.Api.Common;
using Devana.Api.Conversations;
using Devana.Application.Common.Paging;
using Devana.Application.Conversations.Common;
using Devana.Application.Conversations.DeleteConversation;
using Devana.Application.Conversations.GetConversation;
using Devana.Application.Conversations.ListConversations;
using Devana.Application.Conversations.ListMessages;
using Devana.Application.Conversations.UpdateConversation;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Devana.Api.Controllers;

/// <summary>docs/api.md#conversations: a caller sees its own conversations; a workspace admin sees the workspace's.</summary>
[ApiController]
[Route("v1/conversations")]
[Authorize(Policy = Policies.Completions)]
[Produces("application/json")]
public sealed class ConversationsController(IMediator mediator) : ControllerBase
{
    /// <summary>The caller's conversations (a workspace admin: the workspace's), newest first; agent_id filters by agent.</summary>
    [HttpGet]
    [ProducesResponseType<ListResult<ConversationDto>>(StatusCodes.Status200OK)]
    public Task<ListResult<ConversationDto>> List([FromQuery] int? limit, [FromQuery] string? after, [FromQuery(Name = "agent_id")] string? agentId, CancellationToken cancellationToken) =>
        mediator.Send(new ListConversationsQuery(new PageRequest(limit, after), agentId), cancellationToken);

    /// <summary>One conversation; someone else's is a 404 conversation_not_found (a workspace admin sees the workspace's).</summary>
    [HttpGet("{id}")]
    [ProducesResponseType<ConversationDto>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public Task<ConversationDto> Get(string id, CancellationToken cancellationToken) =>
        mediator.Send(new GetConversationQuery(id), cancellationToken);

    /// <summary>The stored turns of the conversation, oldest first.</summary>
    [HttpGet("{id}/messages")]
    [ProducesResponseType<ListResult<MessageDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public Task<ListResult<MessageDto>> Messages(string id, [FromQuery] int? limit, [FromQuery] string? after, CancellationToken cancellationToken) =>
        mediator.Send(new ListMessagesQuery(id, new PageRequest(limit, after)), cancellationToken);

    /// <summary>Changes the title and/or replaces the metadata; absent fields stay.</summary>
    [HttpPatch("{id}")]
    [ProducesResponseType<ConversationDto>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status400BadRequest)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public Task<ConversationDto> Update(string id, UpdateConversationRequest request, CancellationToken cancellationToken) =>
        mediator.Send(new UpdateConversationCommand(id, request.Title, request.Metadata), cancellationToken);

    /// <summary>Deletes the conversation: it leaves the lists and cannot be continued.</summary>
    [HttpDelete("{id}")]
    [ProducesResponseType<DeletedResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Delete(string id, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteConversationCommand(id), cancellationToken);
        return Ok(new DeletedResponse(id, "conversation"));
    }
}
