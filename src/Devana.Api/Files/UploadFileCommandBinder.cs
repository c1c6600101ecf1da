using Devana.Api.Infrastructure;
using Devana.Application.Common.Exceptions;
using Devana.Application.Files.UploadFile;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Devana.Api.Files;

/// <summary>
/// Binds <see cref="UploadFileCommand"/> from a <c>multipart/form-data</c> body (field <c>file</c>) as a
/// stream, without buffering the form: the file part reaches the handler as it arrives, other parts (OpenAI
/// SDKs send <c>purpose</c>) are skipped. A body that is not multipart, has no usable boundary, is malformed
/// or has no file part is the caller's fault: a 400 naming <c>file</c>, never a server error.
/// </summary>
internal sealed class UploadFileCommandBinder : IModelBinder
{
    public const string FileField = "file";

    public async Task BindModelAsync(ModelBindingContext bindingContext)
    {
        ArgumentNullException.ThrowIfNull(bindingContext);
        var http = bindingContext.HttpContext;
        var reader = new MultipartReader(BoundaryOf(http.Request.ContentType), http.Request.Body);
        while (await NextSectionAsync(reader, http.RequestAborted) is { } section)
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

            var body = new MultipartSectionStream(section.Body, FileField, http.RequestAborted);
            http.Response.RegisterForDisposeAsync(body);
            var command = new UploadFileCommand(filename, section.ContentType, body);
            // A stream has nothing to validate, and reading its properties could throw: the handler checks the file.
            bindingContext.ValidationState[command] = new ValidationStateEntry { SuppressValidation = true };
            bindingContext.Result = ModelBindingResult.Success(command);
            return;
        }

        throw new BadRequestException("The multipart body has no 'file' field.", FileField, ErrorCodes.MissingRequiredParameter);
    }

    /// <summary>The next part; a body that is malformed or ends early is the caller's fault (400), not a server error.</summary>
    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken requestAborted)
    {
        try
        {
            return await reader.ReadNextSectionAsync(requestAborted);
        }
        catch (Exception exception) when (exception is InvalidDataException or (IOException and not BadHttpRequestException) && !requestAborted.IsCancellationRequested)
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
