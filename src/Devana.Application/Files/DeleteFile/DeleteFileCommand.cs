using MediatR;

namespace Devana.Application.Files.DeleteFile;

/// <summary><c>DELETE /v1/files/{id}</c>: removes the file's bytes, text and chunks.</summary>
public sealed record DeleteFileCommand(string Id) : IRequest<Unit>;
