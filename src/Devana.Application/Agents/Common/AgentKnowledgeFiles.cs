using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Common;
using Devana.Domain.Agents.Rules;
using Devana.Domain.Files;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Agents.Common;

/// <summary>
/// Which files may become an agent's knowledge, for <c>POST /v1/agents</c> and <c>POST /v1/agents/{id}/files</c>
/// alike: the caller's own processed uploads (files are private to their uploader).
/// </summary>
public static class AgentKnowledgeFiles
{
    /// <summary>The ids, each once; 400 naming <c>file_ids</c> for one that is unknown, another's, or has no text.</summary>
    public static async Task<IReadOnlyList<string>> CheckUsableAsync(this IApplicationDbContext db, Actor actor, IReadOnlyList<string> fileIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(fileIds);
        var ids = fileIds.Distinct(StringComparer.Ordinal).ToList();
        var files = await db.Files.AsNoTracking()
            .Where(StoredFile.MayBeUsedOnlyByItsUploader.For(actor))
            .Where(f => ids.Contains(f.Id))
            .Select(f => new { f.Id, f.Status, f.Filename })
            .ToListAsync(cancellationToken);
        var missing = ids.FirstOrDefault(id => files.All(f => f.Id != id));
        if (missing is not null)
        {
            throw new BadRequestException($"No file '{missing}' exists among your uploads.", "file_ids");
        }

        var unusable = files.FirstOrDefault(f => f.Status != FileStatus.Processed);
        if (unusable is not null)
        {
            throw new BadRequestException($"File '{unusable.Id}' ({unusable.Filename}) has no extracted text (status {unusable.Status.ToString().ToLowerInvariant()}); it cannot be knowledge.", "file_ids");
        }

        return ids;
    }

    /// <summary>The shape rules of a <c>file_ids</c> list: at most the rule's maximum, no empty id.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> MustBeFileIds<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(ids => ids is null || ids.Count <= AgentMayHoldAtMost100KnowledgeFilesRule.Max).WithMessage($"file_ids holds at most {AgentMayHoldAtMost100KnowledgeFilesRule.Max} ids.")
            .Must(ids => ids is null || ids.All(id => !string.IsNullOrWhiteSpace(id))).WithMessage("file_ids cannot hold an empty id.");
}
