using Devana.Application.Files.Common;
using MediatR;

namespace Devana.Application.Files.GetFile;

public sealed record GetFileQuery(string Id) : IRequest<FileDto>;
