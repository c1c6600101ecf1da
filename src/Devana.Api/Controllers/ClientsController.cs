using Devana.Api.Auth;
using Devana.Application.Clients.Common;
using Devana.Application.Clients.CreateClient;
using Devana.Application.Clients.DeleteClient;
using Devana.Application.Clients.ListClients;
using Devana.Application.Clients.RotateClientSecret;
using Devana.Application.Common.Paging;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Devana.Api.Controllers;

/// <summary>The workspace's OAuth clients (docs/api.md#clients). Scope <c>admin</c> and a workspace admin.</summary>
[ApiController]
[Route("v1/clients")]
[Authorize(Policy = Policies.Admin)]
[Produces("application/json")]
public sealed class ClientsController(IMediator mediator) : ControllerBase
{
    /// <summary>Registers a client; its secret (confidential clients) is in this answer only.</summary>
    [HttpPost]
    [ProducesResponseType<ClientWithSecretDto>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Create(CreateClientCommand command, CancellationToken cancellationToken)
    {
        var client = await mediator.Send(command, cancellationToken);
        return StatusCode(StatusCodes.Status201Created, client);
    }

    /// <summary>The workspace's clients, newest first; never a secret.</summary>
    [HttpGet]
    [ProducesResponseType<ListResult<ClientDto>>(StatusCodes.Status200OK)]
    public Task<ListResult<ClientDto>> List([FromQuery] int? limit, [FromQuery] string? after, CancellationToken cancellationToken) =>
        mediator.Send(new ListClientsQuery(new PageRequest(limit, after)), cancellationToken);

    /// <summary>Deletes the client; every token issued to it stops working at once.</summary>
    [HttpDelete("{id}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Delete(string id, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteClientCommand(id), cancellationToken);
        return NoContent();
    }

    /// <summary>Issues a new secret, returned this once; the old one stops working.</summary>
    [HttpPost("{id}/secret")]
    [ProducesResponseType<ClientWithSecretDto>(StatusCodes.Status200OK)]
    public Task<ClientWithSecretDto> RotateSecret(string id, CancellationToken cancellationToken) =>
        mediator.Send(new RotateClientSecretCommand(id), cancellationToken);
}
