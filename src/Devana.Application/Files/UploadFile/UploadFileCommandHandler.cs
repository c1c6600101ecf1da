using AutoMapper;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Files.Common;
using Devana.Application.Llm.Common;
using Devana.Domain.Files;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Devana.Application.Files.UploadFile;

/// <summary>
/// Checks the name and the first bytes (415 before anything is stored), streams the bytes to storage
/// (hashed and counted on the way, 413 past the limit), extracts and chunks the text, and saves the file.
/// An extraction failure keeps the file with status <c>failed</c>; any other failure leaves nothing behind.
/// </summary>
internal sealed partial class UploadFileCommandHandler(
    IApplicationDbContext db,
    ICurrentPrincipal caller,
    IFileStorage storage,
    IFileTextExtractor extractor,
    ITextChunker chunker,
    ITokenCounter tokens,
    IOptions<FilesOptions> options,
    TimeProvider clock,
    IMapper mapper,
    ILogger<UploadFileCommandHandler> logger)
    : IRequestHandler<UploadFileCommand, FileDto>
{
    public async Task<FileDto> Handle(UploadFileCommand request, CancellationToken cancellationToken)
    {
        var filename = FileNames.Sanitize(request.FileName);
        if (filename.Length == 0)
        {
            throw new BadRequestException("The file part needs a file name (with its extension).", "file");
        }

        var format = FileFormats.FromFileName(filename)
            ?? throw new UnsupportedFileTypeException($"'{filename}' is not a supported file type. Supported file types: {FileFormats.SupportedList}.");

        await using var upload = new UploadStream(request.Content, options.Value.MaxBytes);
        var head = await upload.ReadHeadAsync(FileSniffer.HeadLength, cancellationToken);
        if (head.IsEmpty)
        {
            throw new BadRequestException($"'{filename}' is empty.", "file");
        }

        FileSniffer.EnsureMatches(format, head.Span, filename);

        var key = await storage.SaveAsync(upload, cancellationToken);
        try
        {
            var file = StoredFile.Upload(
                caller.WorkspaceId,
                caller.PrincipalId,
                filename,
                FileFormats.ContentTypeFor(format, request.ContentType),
                upload.TotalBytes,
                upload.Sha256,
                key,
                clock.GetUtcNow());
            await ProcessAsync(file, format, cancellationToken);
            db.Files.Add(file);
            await db.SaveChangesAsync(cancellationToken);
            return mapper.Map<FileDto>(file);
        }
        catch
        {
            await storage.DeleteAsync(key, CancellationToken.None);
            throw;
        }
    }

    private async Task ProcessAsync(StoredFile file, FileFormat format, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            await using var content = await storage.OpenReadAsync(file.StorageKey, cancellationToken);
            text = await extractor.ExtractAsync(content, format, cancellationToken);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new TextExtractionException(format == FileFormat.Pdf
                    ? "The PDF has no text layer (it may be scanned images); no text could be extracted."
                    : "The file contains no text.");
            }
        }
        catch (TextExtractionException exception)
        {
            LogExtractionFailed(file.Id, format, exception.Message);
            file.FailProcessing(exception.Message);
            return;
        }

        var chunks = chunker.Split(text);
        file.CompleteProcessing(text.Length, tokens.CountTokens(text), chunks.Select(c => (c.Start, c.Text, c.TokenCount)).ToList());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No text could be extracted from file {FileId} ({Format}): {Reason}")]
    private partial void LogExtractionFailed(string fileId, FileFormat format, string reason);
}
