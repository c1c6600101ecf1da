using Devana.Api.Agents;
using Devana.Api.Auth;
using Devana.Api.Common;
using Devana.Api.Infrastructure;
using Devana.Application.Agents.Common;
using Devana.Application.Agents.AttachAgentFiles;
using Devana.Application.Agents.CreateAgent;
using Devana.Application.Agents.DeleteAgent;
using Devana.Application.Agents.DetachAgentFile;
using Devana.Application.Agents.GetAgent;
using Devana.Application.Agents.ListAgents;
using Devana.Application.Agents.ReplaceAgent;
using Devana.Application.Agents.UpdateAgent;
using Devana.Application.Common.Paging;
using Devana.Application.Conversations.Common;
using Devana.Application.Conversations.ListAgentConversations;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Devana.Api.Controllers;

/// <summary>docs/api.md#agents: the agents of the caller's workspace.</summary>
[ApiController]
[Route("v1/agents")]
[Authorize(Policy = Policies.Agents)]
[Produces("application/json")]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status401Unauthorized)]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status403Forbidden)]
public sealed class AgentsController(IMediator mediator) : ControllerBase
{
    /// <summary>The agents of the workspace the caller may read, newest first (a workspace admin: all of them).</summary>
    [HttpGet]
    [ProducesResponseType<ListResult<AgentDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    public async Task<ActionResult<ListResult<AgentDto>>> List([FromQuery] int? limit, [FromQuery] string? after, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new ListAgentsQuery(new PageRequest(limit, after)), cancellationToken));

    /// <summary>One agent: 404 agent_not_found in another workspace, 403 access_denied when it is someone else's private agent.</summary>
    [HttpGet("{id}")]
    [ProducesResponseType<AgentDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<AgentDto>> Get(string id, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new GetAgentQuery(id), cancellationToken));

    /// <summary>Makes the caller's processed files knowledge of the agent (its owner or a workspace admin).</summary>
    [HttpPost("{id}/files")]
    [ProducesResponseType<AgentDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<AgentDto>> AttachFiles(string id, AttachAgentFilesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Ok(await mediator.Send(new AttachAgentFilesCommand(id, request.FileIds), cancellationToken));
    }

    /// <summary>Removes a knowledge file from the agent (the file stays uploaded); 404 file_not_found when the agent does not hold it.</summary>
    [HttpDelete("{id}/files/{fileId}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> DetachFile(string id, string fileId, CancellationToken cancellationToken)
    {
        await mediator.Send(new DetachAgentFileCommand(id, fileId), cancellationToken);
        return NoContent();
    }

    /// <summary>The caller's conversations with this agent (a workspace admin: everyone's), newest first.</summary>
    [HttpGet("{id}/conversations")]
    [ProducesResponseType<ListResult<ConversationDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<ListResult<ConversationDto>>> Conversations(string id, [FromQuery] int? limit, [FromQuery] string? after, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new ListAgentConversationsQuery(id, new PageRequest(limit, after)), cancellationToken));

    /// <summary>Creates an agent owned by the caller; 201 with a Location header. An id of your own is a slug, unique in the workspace (409 already_exists).</summary>
    [HttpPost]
    [ProducesResponseType<AgentDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<AgentDto>> Create(CreateAgentCommand command, CancellationToken cancellationToken)
    {
        var agent = await mediator.Send(command, cancellationToken);
        return CreatedAtAction(nameof(Get), new { id = agent.Id }, agent);
    }

    /// <summary>Changes the fields the body holds (null clears one); the owner or a workspace admin.</summary>
    [HttpPatch("{id}")]
    [ProducesResponseType<AgentDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<AgentDto>> Update(string id, UpdateAgentCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        AgentIds.CheckUnchanged(id, command.IsPresent(nameof(command.Id)), command.Id);
        return Ok(await mediator.Send(command with { AgentId = id }, cancellationToken));
    }

    /// <summary>Replaces every setting (absent fields take their defaults); the owner or a workspace admin.</summary>
    [HttpPut("{id}")]
    [ProducesResponseType<AgentDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<AgentDto>> Replace(string id, ReplaceAgentCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        AgentIds.CheckUnchanged(id, command.Id is not null, command.Id);
        return Ok(await mediator.Send(command with { AgentId = id }, cancellationToken));
    }

    /// <summary>Deletes the agent (its conversations stay readable, its id stays taken); the owner or a workspace admin.</summary>
    [HttpDelete("{id}")]
    [ProducesResponseType<DeletedResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Delete(string id, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteAgentCommand(id), cancellationToken);
        return Ok(new DeletedResponse(id, "agent"));
    }
}
