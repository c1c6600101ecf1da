using MediatR;

namespace Devana.Application.Files.GetFileContent;

/// <summary><c>GET /v1/files/{id}/content</c>: the original bytes.</summary>
public sealed record GetFileContentQuery(string Id) : IRequest<FileContent>;

/// <summary>The original bytes of a file; the receiver disposes <paramref name="Content"/>.</summary>
public sealed record FileContent(Stream Content, string ContentType, string Filename, long Bytes);
