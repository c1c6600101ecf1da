using Devana.Api.Auth;
using Devana.Api.Infrastructure;
using Devana.Application.Common.Paging;
using Devana.Application.Users.Common;
using Devana.Application.Users.CreateUser;
using Devana.Application.Users.ListUsers;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Devana.Api.Controllers;

/// <summary>The workspace's users (docs/api.md#users). Scope <c>admin</c> and a workspace admin.</summary>
[ApiController]
[Route("v1/users")]
[Authorize(Policy = Policies.Admin)]
[Produces("application/json")]
public sealed class UsersController(IMediator mediator) : ControllerBase
{
    /// <summary>Adds a user to the workspace (owner, admin or member); 409 already_exists when the email is taken.</summary>
    [HttpPost]
    [ProducesResponseType<UserDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Create(CreateUserCommand command, CancellationToken cancellationToken)
    {
        var user = await mediator.Send(command, cancellationToken);
        return StatusCode(StatusCodes.Status201Created, user);
    }

    /// <summary>The workspace's users, newest first.</summary>
    [HttpGet]
    [ProducesResponseType<ListResult<UserDto>>(StatusCodes.Status200OK)]
    public Task<ListResult<UserDto>> List([FromQuery] int? limit, [FromQuery] string? after, CancellationToken cancellationToken) =>
        mediator.Send(new ListUsersQuery(new PageRequest(limit, after)), cancellationToken);
}
