using Devana.Application.Files.Common;
using MediatR;

namespace Devana.Application.Files.UploadFile;

/// <summary>
/// <c>POST /v1/files</c>: the file part of the multipart body, still streaming.
/// </summary>
/// <param name="FileName">The name the uploader gave (sanitised here).</param>
/// <param name="ContentType">The part's declared content type, if any.</param>
/// <param name="Content">The part's bytes, read once, forward only.</param>
public sealed record UploadFileCommand(string FileName, string? ContentType, Stream Content) : IRequest<FileDto>;
