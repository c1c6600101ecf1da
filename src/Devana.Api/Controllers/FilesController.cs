using Devana.Api.Auth;
using Devana.Api.Common;
using Devana.Api.Infrastructure;
using Devana.Application.Common.Exceptions;
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
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Devana.Api.Controllers;

/// <summary>docs/api.md#files: a caller uploads, lists, reads and deletes its own files.</summary>
[ApiController]
[Route("v1/files")]
[Authorize(Policy = Policies.Files)]
[Produces("application/json")]
public sealed class FilesController(IMediator mediator) : ControllerBase
{
    private const string FileField = "file";

    /// <summary>
    /// Uploads a file (multipart/form-data, field <c>file</c>); 201 with the file object, its text already
    /// extracted (<c>status</c> <c>processed</c> or <c>failed</c>).
    /// </summary>
    // Reads the multipart body as a stream (no form buffering): the file part goes to the handler as it
    // arrives, other parts (OpenAI SDKs send purpose) are skipped.
    [HttpPost]
    [FileUpload]
    [ProducesResponseType<FileDto>(StatusCodes.Status201Created)]
    [ProducesResponseType(StatusCodes.Status400BadRequest)]
    [ProducesResponseType(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<FileDto>> Upload(CancellationToken cancellationToken)
    {
        var reader = new MultipartReader(BoundaryOf(Request.ContentType), Request.Body);
        while (await NextSectionAsync(reader, cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                || !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, FileField, StringComparison.Ordinal))
            {
                continue;
            }

            var filename = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
            if (string.IsNullOrEmpty(filename))
            {
                throw new BadRequestException("The 'file' field must be a file part with a file name (Content-Disposition: form-data; name=\"file\"; filename=\"…\").", FileField);
            }

            await using var body = new MultipartSectionStream(section.Body, FileField, HttpContext.RequestAborted);
            var file = await mediator.Send(new UploadFileCommand(filename, section.ContentType, body), cancellationToken);
            return CreatedAtAction(nameof(Get), new { id = file.Id }, file);
        }

        throw new BadRequestException("The multipart body has no 'file' field.", FileField, ErrorCodes.MissingRequiredParameter);
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

    /// <summary>The next part; a body that is malformed or ends early is the caller's fault (400), not a server error.</summary>
    private async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidDataException or (IOException and not BadHttpRequestException) && !HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw new BadRequestException($"The multipart body is malformed: {exception.Message.Trim()}", FileField);
        }
    }

    private static string BoundaryOf(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadRequestException("POST /v1/files takes a multipart/form-data body with the file in a field named 'file'.", FileField);
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70)
        {
            throw new BadRequestException("The multipart/form-data Content-Type needs a boundary of 1 to 70 characters.", FileField);
        }

        return boundary;
    }
}
