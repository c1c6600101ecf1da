using System.Text;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Completions.Common;
using Devana.Application.Files.Common;
using Devana.Application.Llm.Common;
using Devana.Domain.Files;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Devana.Application.Files.Retrieval;

/// <summary>
/// Fills the prompt's context section from files (docs/completions.md#how-the-prompt-is-built): the agent's knowledge files (any file of
/// the caller's workspace) and the request's <c>files</c> (the caller's own uploads). When all of them fit
/// the token budget they go in whole; otherwise the chunks that rank highest for the query (BM25) go in,
/// best first, until the budget is spent, and are shown in document order.
/// </summary>
/// <remarks>
/// A request file that is unknown, another principal's or failed is the caller's mistake: 400 naming
/// <c>files</c>. An agent knowledge file that is missing or failed is the agent's problem, not the
/// caller's: it is left out and logged, so that one bad file does not break every completion of the agent.
/// </remarks>
internal sealed partial class FilePromptContextProvider(
    IApplicationDbContext db,
    ICurrentPrincipal caller,
    IChunkRanker ranker,
    ITokenCounter tokens,
    ILogger<FilePromptContextProvider> logger)
    : IPromptContextProvider
{
    private const int ExcerptLength = 200;
    private const string Gap = "\n[…]\n";
    private const string DocumentSeparator = "\n\n";

    public async Task<PromptContext> GetContextAsync(PromptContextRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var files = await ResolveFilesAsync(request, cancellationToken);
        if (files.Count == 0 || request.TokenBudget <= 0)
        {
            return PromptContext.Empty;
        }

        var fileIds = files.Select(f => f.Id).ToList();
        var chunks = await db.FileChunks.AsNoTracking()
            .Where(c => fileIds.Contains(c.FileId))
            .OrderBy(c => c.FileId).ThenBy(c => c.Index)
            .ToListAsync(cancellationToken);
        var chunksByFile = chunks.GroupBy(c => c.FileId).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        files = files.Where(f => chunksByFile.ContainsKey(f.Id)).ToList();

        return WholeFiles(files, chunksByFile, request.TokenBudget)
            ?? RelevantChunks(files, chunks, request.Query, request.TokenBudget);
    }

    private async Task<List<StoredFile>> ResolveFilesAsync(PromptContextRequest request, CancellationToken cancellationToken)
    {
        var requestIds = (request.RequestFileIds ?? []).Distinct(StringComparer.Ordinal).ToList();
        var agentIds = (request.AgentFileIds ?? []).Distinct(StringComparer.Ordinal).Except(requestIds, StringComparer.Ordinal).ToList();
        if (requestIds.Count == 0 && agentIds.Count == 0)
        {
            return [];
        }

        var workspaceId = caller.WorkspaceId;
        var requestFiles = new List<StoredFile>(requestIds.Count);
        if (requestIds.Count > 0)
        {
            var principalId = caller.PrincipalId;
            var found = await db.Files.AsNoTracking()
                .Where(f => f.WorkspaceId == workspaceId && f.OwnerId == principalId && requestIds.Contains(f.Id))
                .ToDictionaryAsync(f => f.Id, StringComparer.Ordinal, cancellationToken);
            foreach (var id in requestIds)
            {
                if (!found.TryGetValue(id, out var file))
                {
                    throw new BadRequestException($"No file '{id}' exists for this caller; files takes the ids of the caller's own uploads.", "files");
                }

                if (file.Status != FileStatus.Processed)
                {
                    throw new BadRequestException($"File '{id}' ({file.Filename}) cannot be used: no text could be extracted from it ({file.Error ?? "not processed"}).", "files");
                }

                requestFiles.Add(file);
            }
        }

        var agentFiles = new List<StoredFile>(agentIds.Count);
        if (agentIds.Count > 0)
        {
            var found = await db.Files.AsNoTracking()
                .Where(f => f.WorkspaceId == workspaceId && agentIds.Contains(f.Id))
                .ToDictionaryAsync(f => f.Id, StringComparer.Ordinal, cancellationToken);
            foreach (var id in agentIds)
            {
                if (!found.TryGetValue(id, out var file))
                {
                    LogAgentFileMissing(id);
                }
                else if (file.Status != FileStatus.Processed)
                {
                    LogAgentFileUnusable(id, file.Status);
                }
                else
                {
                    agentFiles.Add(file);
                }
            }
        }

        // The agent's knowledge first, then what the caller attached.
        return [.. agentFiles, .. requestFiles];
    }

    private PromptContext? WholeFiles(List<StoredFile> files, Dictionary<string, List<FileChunk>> chunksByFile, int budget)
    {
        if (files.Sum(f => (long)f.TokenCount) > budget)
        {
            return null;
        }

        var texts = files.Select(f => StoredFile.RebuildText(chunksByFile[f.Id])).ToList();
        var text = string.Join(DocumentSeparator, files.Select((f, i) => Document(f, texts[i].Trim(), excerpts: false)));
        if (tokens.CountTokens(text) > budget)
        {
            return null;
        }

        var sources = files.Select((f, i) => new PromptSource(f.Id, f.Filename, Excerpt(texts[i]))).ToList();
        return new PromptContext(text, sources);
    }

    private PromptContext RelevantChunks(List<StoredFile> files, List<FileChunk> chunks, string query, int budget)
    {
        var fileOrder = files.Select((f, i) => (f.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        chunks = chunks.Where(c => fileOrder.ContainsKey(c.FileId)).ToList();
        var scores = ranker.Score(query ?? string.Empty, chunks.Select(c => c.Text).ToList());
        var ranked = Enumerable.Range(0, chunks.Count).Where(i => scores[i] > 0).ToList();
        if (ranked.Count == 0)
        {
            // Nothing matches the query ("summarise this"): the beginnings of the documents are the best guess.
            ranked = Enumerable.Range(0, chunks.Count).OrderBy(i => chunks[i].Index).ThenBy(i => fileOrder[chunks[i].FileId]).ToList();
        }
        else
        {
            ranked = ranked.OrderByDescending(i => scores[i]).ThenBy(i => fileOrder[chunks[i].FileId]).ThenBy(i => chunks[i].Index).ToList();
        }

        var filesById = files.ToDictionary(f => f.Id, StringComparer.Ordinal);
        var gapCost = tokens.CountTokens(Gap);
        var separatorCost = tokens.CountTokens(DocumentSeparator);
        var headerCosts = new Dictionary<string, int>(StringComparer.Ordinal);
        var selected = new List<FileChunk>();
        var used = 0;
        foreach (var i in ranked)
        {
            var chunk = chunks[i];
            var opensDocument = !headerCosts.ContainsKey(chunk.FileId);
            var overhead = opensDocument
                ? tokens.CountTokens(Document(filesById[chunk.FileId], string.Empty, excerpts: true)) + separatorCost
                : gapCost;
            if (used + chunk.TokenCount + overhead > budget)
            {
                continue;
            }

            headerCosts.TryAdd(chunk.FileId, overhead);
            selected.Add(chunk);
            used += chunk.TokenCount + overhead;
        }

        // Chunk counts are summed separately; the rendered text is what must fit, so check it and drop the
        // least relevant pick until it does.
        while (selected.Count > 0)
        {
            var context = Render(files, selected);
            if (tokens.CountTokens(context.Text) <= budget)
            {
                return context;
            }

            selected.RemoveAt(selected.Count - 1);
        }

        return PromptContext.Empty;
    }

    /// <summary>The picked chunks by document, in document order; neighbouring chunks merged so that their overlap shows once.</summary>
    private static PromptContext Render(List<StoredFile> files, List<FileChunk> selected)
    {
        var documents = new List<string>();
        var sources = new List<PromptSource>();
        foreach (var file in files)
        {
            var picked = selected.Where(c => c.FileId == file.Id).OrderBy(c => c.Index).ToList();
            if (picked.Count == 0)
            {
                continue;
            }

            var excerpts = new List<string>();
            var current = new StringBuilder(picked[0].Text);
            var end = picked[0].End;
            foreach (var chunk in picked.Skip(1))
            {
                if (chunk.Start <= end)
                {
                    var skip = Math.Min(end - chunk.Start, chunk.Text.Length);
                    current.Append(chunk.Text, skip, chunk.Text.Length - skip);
                }
                else
                {
                    excerpts.Add(current.ToString().Trim());
                    current.Clear().Append(chunk.Text);
                }

                end = Math.Max(end, chunk.End);
            }

            excerpts.Add(current.ToString().Trim());
            documents.Add(Document(file, string.Join(Gap, excerpts), excerpts: true));
            sources.AddRange(excerpts.Select(e => new PromptSource(file.Id, file.Filename, Excerpt(e))));
        }

        return new PromptContext(string.Join(DocumentSeparator, documents), sources);
    }

    private static string Document(StoredFile file, string body, bool excerpts) =>
        $"<document id=\"{file.Id}\" name=\"{Attribute(file.Filename)}\"{(excerpts ? " excerpts=\"true\"" : string.Empty)}>\n{body}\n</document>";

    private static string Attribute(string value) =>
        value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>The start of <paramref name="text"/> on one line, for <c>debug.sources</c>.</summary>
    private static string Excerpt(string text)
    {
        var builder = new StringBuilder(ExcerptLength + 1);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            if (builder.Length >= ExcerptLength)
            {
                return builder.Append('…').ToString();
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent knowledge file {FileId} does not exist in the caller's workspace; it is left out of the prompt")]
    private partial void LogAgentFileMissing(string fileId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent knowledge file {FileId} is {Status}; it is left out of the prompt")]
    private partial void LogAgentFileUnusable(string fileId, FileStatus status);
}
