using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Files;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Files.Common;

/// <summary>What a caller may see of files: the ones it uploaded (docs/api.md#who-may-do-what), admins included.</summary>
internal static class StoredFileAccess
{
    public static IQueryable<StoredFile> OwnedBy(this IQueryable<StoredFile> files, ICurrentPrincipal caller)
    {
        var workspaceId = caller.WorkspaceId;
        var principalId = caller.PrincipalId;
        return files.Where(f => f.WorkspaceId == workspaceId && f.OwnerId == principalId);
    }

    /// <summary>The caller's file, or 404 <c>file_not_found</c> (others' files are not disclosed).</summary>
    public static async Task<StoredFile> FindOwnedAsync(this IQueryable<StoredFile> files, ICurrentPrincipal caller, string id, CancellationToken cancellationToken) =>
        await files.OwnedBy(caller).FirstOrDefaultAsync(f => f.Id == id, cancellationToken)
        ?? throw NotFound(id);

    public static NotFoundException NotFound(string id) =>
        new(ErrorCodes.FileNotFound, $"No file '{id}' exists for this caller.", "file_id");
}
