using Devana.Application.Common.Access;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Files;

namespace Devana.Application.Files.Common;

/// <summary>Files as a caller may see them: <see cref="StoredFile.MayBeUsedOnlyByItsUploader"/> (docs/api.md#who-may-do-what).</summary>
internal static class StoredFileAccess
{
    public static IQueryable<StoredFile> OwnedBy(this IQueryable<StoredFile> files, ICurrentPrincipal caller) =>
        files.AllowedBy(StoredFile.MayBeUsedOnlyByItsUploader, caller);

    /// <summary>The caller's file, or 404 <c>file_not_found</c> (others' files are not disclosed).</summary>
    public static Task<StoredFile> FindOwnedAsync(this IQueryable<StoredFile> files, ICurrentPrincipal caller, string id, CancellationToken cancellationToken) =>
        files.FindAllowedAsync(StoredFile.MayBeUsedOnlyByItsUploader, caller, id, NotFound, cancellationToken);

    public static NotFoundException NotFound(string id) =>
        new(ErrorCodes.FileNotFound, $"No file '{id}' exists for this caller.", "file_id");
}
