using Devana.Api.Auth;
using Devana.Api.Infrastructure;
using Devana.Application.Agents.Common;
using Devana.Application.Agents.GetModel;
using Devana.Application.Agents.ListModels;
using Devana.Application.Common.Paging;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Devana.Api.Controllers;

/// <summary>The agents the caller may use, as OpenAI models: what OpenAI SDKs list with <c>base_url = …/v1</c>.</summary>
[ApiController]
[Route("v1/models")]
[Authorize(Policy = Policies.Models)]
[Produces("application/json")]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status401Unauthorized)]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status403Forbidden)]
public sealed class ModelsController(IMediator mediator) : ControllerBase
{
    /// <summary>The agents the caller may use, as OpenAI models, in one page.</summary>
    [HttpGet]
    [ProducesResponseType<ListResult<ModelDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    public async Task<ActionResult<ListResult<ModelDto>>> List([FromQuery] int? limit, [FromQuery] string? after, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new ListModelsQuery(new PageRequest(limit, after)), cancellationToken));

    /// <summary>One agent the caller may use, as an OpenAI model.</summary>
    [HttpGet("{id}")]
    [ProducesResponseType<ModelDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<ModelDto>> Get(string id, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new GetModelQuery(id), cancellationToken));
}
