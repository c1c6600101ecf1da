using Devana.Api.Auth;
using Devana.Api.Completions;
using Devana.Api.Infrastructure;
using Devana.Application.Common.Exceptions;
using Devana.Application.Completions.Common;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Devana.Api.Controllers;

/// <summary>
/// docs/api.md#completions: one action, two routes — <c>/completions</c> and <c>/v1/chat/completions</c> (what
/// OpenAI SDKs call with <c>base_url = &lt;server&gt;/v1</c>). Both answers, JSON and SSE, carry the
/// <c>x-ratelimit-*</c> headers of the limits that apply (see <see cref="RateLimitHeaders"/>).
/// </summary>
[ApiController]
[Authorize(Policy = Policies.Completions)]
public sealed class CompletionsController(IMediator mediator, IOptions<JsonOptions> json, IOptions<StreamingOptions> streaming, ShutdownDrain drain, ILogger<ServerSentEvents> logger)
    : ControllerBase
{
    /// <summary>A chat completion from the agent named by <c>model</c>: the whole answer as JSON, or with <c>stream: true</c> Server-Sent Events.</summary>
    [HttpPost("completions")]
    [HttpPost("v1/chat/completions")]
    [Consumes("application/json")]
    [Produces("application/json", "text/event-stream")]
    [ProducesResponseType<ChatCompletionDto>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status400BadRequest)]
    [ProducesResponseType(StatusCodes.Status403Forbidden)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    [ProducesResponseType(StatusCodes.Status502BadGateway)]
    [ProducesResponseType(StatusCodes.Status503ServiceUnavailable)]
    [ProducesResponseType(StatusCodes.Status504GatewayTimeout)]
    public async Task<IActionResult> Create(ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Open until answered or streamed to the end; a shutdown lets it run for the drain time, then ends it.
        using var open = drain.Track();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, drain.Drained);
        CompletionOutcome outcome;
        try
        {
            outcome = await mediator.Send(request.ToCommand(), ended.Token);
        }
        catch (OperationCanceledException exception) when (drain.Drained.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ServiceUnavailableException(ShutdownGateMiddleware.Message, exception);
        }

        RateLimitHeaders.Write(Response.Headers, outcome.RateLimits);
        if (outcome.Stream is null)
        {
            return Ok(outcome.Response);
        }

        var events = new ServerSentEvents(json.Value.JsonSerializerOptions, streaming.Value.KeepAlive, logger);
        await events.WriteAsync(HttpContext, outcome.Stream, drain.Drained);
        return new EmptyResult();
    }
}
