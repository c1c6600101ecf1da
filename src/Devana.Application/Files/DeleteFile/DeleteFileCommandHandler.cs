using Devana.Application.Common.Interfaces;
using Devana.Application.Files.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Devana.Application.Files.DeleteFile;

/// <summary>
/// Deletes the row first (its chunks go with it, by cascade) and the bytes after: if removing the bytes
/// fails, the file is already gone for every caller and only an orphan object is left, which is logged.
/// The other order could leave a listed file whose content is missing. Agents that held the file as
/// knowledge forget it in the same save (docs/files.md#files-and-agents).
/// </summary>
internal sealed partial class DeleteFileCommandHandler(IApplicationDbContext db, ICurrentPrincipal caller, IFileStorage storage, TimeProvider clock, ILogger<DeleteFileCommandHandler> logger)
    : IRequestHandler<DeleteFileCommand, Unit>
{
    public async Task<Unit> Handle(DeleteFileCommand request, CancellationToken cancellationToken)
    {
        var file = await db.Files.FindOwnedAsync(caller, request.Id, cancellationToken);
        db.Files.Remove(file);

        // file_ids is a JSON column, so the agents holding the file are picked here, not in SQL.
        var now = clock.GetUtcNow();
        var agents = await db.Agents.Where(a => a.WorkspaceId == file.WorkspaceId).ToListAsync(cancellationToken);
        foreach (var agent in agents)
        {
            agent.ForgetDeletedFile(file.Id, now);
        }

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
