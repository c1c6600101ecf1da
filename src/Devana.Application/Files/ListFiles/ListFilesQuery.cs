using Devana.Application.Common.Paging;
using Devana.Application.Files.Common;
using MediatR;

namespace Devana.Application.Files.ListFiles;

/// <summary><c>GET /v1/files</c>: the caller's files, newest first.</summary>
public sealed record ListFilesQuery(PageRequest Page) : IRequest<ListResult<FileDto>>;
