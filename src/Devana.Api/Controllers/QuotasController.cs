using Devana.Api.Auth;
using Devana.Api.Quotas;
using Devana.Api.Infrastructure;
using Devana.Application.Common.Paging;
using Devana.Application.Quotas.Common;
using Devana.Application.Quotas.ListQuotas;
using Devana.Domain.Quotas;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Devana.Api.Controllers;

/// <summary>
/// docs/api.md#usage-and-quotas, admin side: the stored quotas of the caller's workspace. Scope <c>admin</c> (else 403
/// <c>insufficient_scope</c>) and a workspace admin (else 403 <c>access_denied</c>, the use cases' check).
/// </summary>
[ApiController]
[Route("v1/quotas")]
[Authorize(Policy = Policies.Admin)]
[Produces("application/json")]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status401Unauthorized)]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status403Forbidden)]
public sealed class QuotasController(IMediator mediator) : ControllerBase
{
    /// <summary>The workspace's stored quotas at every level, newest first, with the configured defaults.</summary>
    [HttpGet]
    [ProducesResponseType<QuotaListDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    public async Task<ActionResult<QuotaListDto>> List([FromQuery] int? limit, [FromQuery] string? after, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new ListQuotasQuery(new PageRequest(limit, after)), cancellationToken));

    /// <summary>Sets the workspace's four limits (0 or absent: no limit).</summary>
    [HttpPut("workspace")]
    [ProducesResponseType<QuotaDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    public async Task<ActionResult<QuotaDto>> SetWorkspace(SetQuotaRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Ok(await mediator.Send(request.ToCommand(QuotaLevel.Workspace, null), cancellationToken));
    }

    /// <summary>Sets a user's (usr_…) or a client's (cli_…) four limits.</summary>
    [HttpPut("principals/{id}")]
    [ProducesResponseType<QuotaDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<QuotaDto>> SetPrincipal(string id, SetQuotaRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Ok(await mediator.Send(request.ToCommand(QuotaLevel.Principal, id), cancellationToken));
    }

    /// <summary>Sets an agent's four limits, counted over everyone's use of it.</summary>
    [HttpPut("agents/{id}")]
    [ProducesResponseType<QuotaDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<QuotaDto>> SetAgent(string id, SetQuotaRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Ok(await mediator.Send(request.ToCommand(QuotaLevel.Agent, id), cancellationToken));
    }
}
