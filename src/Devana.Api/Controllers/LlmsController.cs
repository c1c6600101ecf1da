using Devana.Api.Auth;
using Devana.Api.Infrastructure;
using Devana.Application.Common.Paging;
using Devana.Application.Llm.ListLlms;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Devana.Api.Controllers;

/// <summary>The LLM catalog: the ids an agent's <c>model</c>/<c>allowed_models</c> and <c>clientModel</c> take.</summary>
[ApiController]
[Route("v1/llms")]
[Authorize(Policy = Policies.Models)]
[Produces("application/json")]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status401Unauthorized)]
[ProducesResponseType<ErrorEnvelope>(StatusCodes.Status403Forbidden)]
public sealed class LlmsController(IMediator mediator) : ControllerBase
{
    /// <summary>The LLM catalog, in one page: id, provider, context window, output limit and capabilities; never a key or URL.</summary>
    [HttpGet]
    [ProducesResponseType<ListResult<LlmDto>>(StatusCodes.Status200OK)]
    public async Task<ActionResult<ListResult<LlmDto>>> List(CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new ListLlmsQuery(), cancellationToken));
}
