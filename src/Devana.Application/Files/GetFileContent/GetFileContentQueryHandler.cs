using Devana.Application.Common.Interfaces;
using Devana.Application.Files.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Files.GetFileContent;

internal sealed class GetFileContentQueryHandler(IApplicationDbContext db, ICurrentPrincipal caller, IFileStorage storage)
    : IRequestHandler<GetFileContentQuery, FileContent>
{
    public async Task<FileContent> Handle(GetFileContentQuery request, CancellationToken cancellationToken)
    {
        var file = await db.Files.AsNoTracking().FindOwnedAsync(caller, request.Id, cancellationToken);
        Stream content;
        try
        {
            content = await storage.OpenReadAsync(file.StorageKey, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            // The row outlived its bytes (a delete that failed half-way): the file is gone for the caller too.
            throw StoredFileAccess.NotFound(request.Id);
        }

        return new FileContent(content, file.ContentType, file.Filename, file.Bytes);
    }
}
