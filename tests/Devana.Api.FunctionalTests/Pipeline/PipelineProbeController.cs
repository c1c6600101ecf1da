using Devana.Application.Common.Exceptions;
using Microsoft.AspNetCore.Mvc;

namespace Devana.Api.FunctionalTests.Pipeline;

/// <summary>
/// A controller that only the pipeline tests load (as an extra application part), so that the error
/// mapping is tested on its own, independent of any feature.
/// </summary>
[ApiController]
[Route("test/pipeline")]
public sealed class PipelineProbeController : ControllerBase
{
    [HttpPost("echo")]
    public ActionResult<ProbeBody> Echo(ProbeBody body) => Ok(body);

    [HttpGet("throw/{kind}")]
    public IActionResult Throw(string kind) => kind switch
    {
        "unhandled" => throw new InvalidOperationException("secret internal detail"),
        "not-found" => throw new NotFoundException(ErrorCodes.AgentNotFound, "No agent 'x'."),
        "conflict" => throw new ConflictException("Already there.", "id"),
        "forbidden" => throw new ForbiddenAccessException(ErrorCodes.AccessDenied, "Not yours."),
        "upstream" => throw new UpstreamException("The upstream failed."),
        "timeout" => throw new UpstreamException("The upstream timed out.", isTimeout: true),
        _ => Ok(),
    };
}

public sealed record ProbeBody(string Name, double? Temperature, IReadOnlyList<string>? Tags);
