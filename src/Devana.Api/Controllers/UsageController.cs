using Devana.Api.Auth;
using Devana.Api.Infrastructure;
using Devana.Application.Usage.GetUsage;
using Devana.Application.Usage.GetUsageReport;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Devana.Api.Controllers;

/// <summary>
/// CONTRACT.md §6: the caller's own counters and limits (scope <c>completions</c>), and the workspace's
/// usage report (scope <c>admin</c> and a workspace admin).
/// </summary>
[ApiController]
[Route("v1/usage")]
[Produces("application/json")]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status401Unauthorized)]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status403Forbidden)]
public sealed class UsageController(IMediator mediator) : ControllerBase
{
    /// <summary>The caller's counters and limits at each level that applies to it.</summary>
    [HttpGet]
    [Authorize(Policy = Policies.Completions)]
    [ProducesResponseType<UsageStatusDto>(StatusCodes.Status200OK)]
    public async Task<ActionResult<UsageStatusDto>> Get(CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new GetUsageQuery(), cancellationToken));

    /// <summary>The workspace's usage summed per principal, agent, LLM or end user over whole UTC days, most tokens first.</summary>
    /// <param name="from">First UTC day, <c>YYYY-MM-DD</c>, included (default: the 1st of this month).</param>
    /// <param name="to">Last UTC day, <c>YYYY-MM-DD</c>, included (default: today).</param>
    /// <param name="groupBy"><c>principal</c> (default), <c>agent</c> or <c>llm</c>.</param>
    /// <param name="cancellationToken">The request's.</param>
    [HttpGet("report")]
    [Authorize(Policy = Policies.Admin)]
    [ProducesResponseType<UsageReportDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    public async Task<ActionResult<UsageReportDto>> Report(
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery(Name = "group_by")] string? groupBy,
        CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new GetUsageReportQuery(from, to, groupBy), cancellationToken));
}
