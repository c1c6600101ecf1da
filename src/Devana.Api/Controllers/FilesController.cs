using Devana.Api.Auth;
using Devana.Api.Common;
using Devana.Api.Files;
using Devana.Api.Infrastructure;
using Devana.Application.Common.Paging;
using Devana.Application.Files.Common;
using Devana.Application.Files.DeleteFile;
using Devana.Application.Files.GetFile;
using Devana.Application.Files.GetFileContent;
using Devana.Application.Files.ListFiles;
using Devana.Application.Files.UploadFile;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Devana.Api.Controllers;

/// <summary>docs/api.md#files: a caller uploads, lists, reads and deletes its own files.</summary>
[ApiController]
[Route("v1/files")]
[Authorize(Policy = Policies.Files)]
[Produces("application/json")]
public sealed class FilesController(IMediator mediator) : ControllerBase
{
    /// <summary>
    /// Uploads a file (multipart/form-data, field <c>file</c>); 201 with the file object, its text already
    /// extracted (<c>status</c> <c>processed</c> or <c>failed</c>).
    /// </summary>
    [HttpPost]
    [FileUpload]
    [ProducesResponseType<FileDto>(StatusCodes.Status201Created)]
    [ProducesResponseType(StatusCodes.Status400BadRequest)]
    [ProducesResponseType(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<FileDto>> Upload([FromFileUpload] UploadFileCommand command, CancellationToken cancellationToken)
    {
        var file = await mediator.Send(command, cancellationToken);
        return CreatedAtAction(nameof(Get), new { id = file.Id }, file);
    }

    /// <summary>The caller's own files, newest first.</summary>
    [HttpGet]
    [ProducesResponseType<ListResult<FileDto>>(StatusCodes.Status200OK)]
    public Task<ListResult<FileDto>> List([FromQuery] int? limit, [FromQuery] string? after, CancellationToken cancellationToken) =>
        mediator.Send(new ListFilesQuery(new PageRequest(limit, after)), cancellationToken);

    /// <summary>One of the caller's files; anyone else's is a 404 file_not_found.</summary>
    [HttpGet("{id}")]
    [ProducesResponseType<FileDto>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public Task<FileDto> Get(string id, CancellationToken cancellationToken) =>
        mediator.Send(new GetFileQuery(id), cancellationToken);

    /// <summary>
    /// The original bytes, as an attachment (never rendered inline: an uploaded HTML page must not run in
    /// the API's origin), with the sanitised file name in <c>filename</c> and RFC 5987 <c>filename*</c>.
    /// </summary>
    [HttpGet("{id}/content")]
    [Produces("application/octet-stream")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Download(string id, CancellationToken cancellationToken)
    {
        var content = await mediator.Send(new GetFileContentQuery(id), cancellationToken);
        Response.Headers.XContentTypeOptions = "nosniff";
        Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return File(content.Content, content.ContentType, content.Filename);
    }

    /// <summary>Deletes the file: its bytes, its text and its chunks.</summary>
    [HttpDelete("{id}")]
    [ProducesResponseType<DeletedResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Delete(string id, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteFileCommand(id), cancellationToken);
        return Ok(new DeletedResponse(id, "file"));
    }
}
