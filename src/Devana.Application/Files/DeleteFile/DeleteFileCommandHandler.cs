using Devana.Application.Common.Interfaces;
using Devana.Application.Files.Common;
using MediatR;
using Microsoft.Extensions.Logging;

namespace Devana.Application.Files.DeleteFile;

/// <summary>
/// Deletes the row first (its chunks go with it, by cascade) and the bytes after: if removing the bytes
/// fails, the file is already gone for every caller and only an orphan object is left, which is logged.
/// The other order could leave a listed file whose content is missing.
/// </summary>
internal sealed partial class DeleteFileCommandHandler(IApplicationDbContext db, ICurrentPrincipal caller, IFileStorage storage, ILogger<DeleteFileCommandHandler> logger)
    : IRequestHandler<DeleteFileCommand, Unit>
{
    public async Task<Unit> Handle(DeleteFileCommand request, CancellationToken cancellationToken)
    {
        var file = await db.Files.FindOwnedAsync(caller, request.Id, cancellationToken);
        db.Files.Remove(file);
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            await storage.DeleteAsync(file.StorageKey, CancellationToken.None);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogOrphan(exception, file.Id, file.StorageKey);
        }

        return Unit.Value;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "File {FileId} was deleted but its bytes ({StorageKey}) could not be removed")]
    private partial void LogOrphan(Exception exception, string fileId, string storageKey);
}
