using System.Text;
using Devana.Domain.Common;
using Devana.Domain.Files.Rules;

namespace Devana.Domain.Files;

/// <summary>
/// An uploaded file: its metadata, where its bytes are stored and, once processed, its extracted text as
/// overlapping chunks. It belongs to the principal that uploaded it, in that principal's workspace; agents
/// of the workspace can use it as knowledge.
/// </summary>
public sealed class StoredFile : Entity, IOwned
{
    public const int FilenameMaxLength = 255;
    public const int ErrorMaxLength = 1000;

    private readonly List<FileChunk> _chunks = [];

    private StoredFile()
    {
    }

    public string Id { get; private set; } = null!;

    public string WorkspaceId { get; private set; } = null!;

    /// <summary>The principal (<c>usr_…</c> or <c>cli_…</c>) that uploaded it.</summary>
    public string OwnerId { get; private set; } = null!;

    /// <summary>The uploader's file name, sanitised (no path, no control characters).</summary>
    public string Filename { get; private set; } = null!;

    public string ContentType { get; private set; } = null!;

    public long Bytes { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the original bytes.</summary>
    public string Sha256 { get; private set; } = null!;

    /// <summary>The storage's own name for the bytes; never derived from the uploader's file name.</summary>
    public string StorageKey { get; private set; } = null!;

    public FileStatus Status { get; private set; }

    /// <summary>Why processing failed; null unless <see cref="Status"/> is <see cref="FileStatus.Failed"/>.</summary>
    public string? Error { get; private set; }

    /// <summary>Length in characters of the extracted text.</summary>
    public int TextLength { get; private set; }

    /// <summary>Tokens of the whole extracted text.</summary>
    public int TokenCount { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The chunks, in order. Loaded only when asked for.</summary>
    public IReadOnlyCollection<FileChunk> Chunks => _chunks.AsReadOnly();

    public static StoredFile Upload(string workspaceId, string ownerId, string filename, string contentType, long bytes, string sha256, string storageKey, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        ArgumentException.ThrowIfNullOrWhiteSpace(sha256);
        ArgumentException.ThrowIfNullOrWhiteSpace(storageKey);
        CheckRule(new FilenameMustBeValidRule(filename));
        CheckRule(new FileMustNotBeEmptyRule(bytes));
        return new StoredFile
        {
            Id = PrefixedId.New(IdPrefixes.File),
            WorkspaceId = workspaceId,
            OwnerId = ownerId,
            Filename = filename,
            ContentType = contentType,
            Bytes = bytes,
            Sha256 = sha256,
            StorageKey = storageKey,
            Status = FileStatus.Processing,
            CreatedAt = now,
        };
    }

    /// <summary>Seeing, reading or deleting a file, or making it an agent's knowledge: its uploader alone (admins included).</summary>
    public static AccessRule<StoredFile> MayBeUsedOnlyByItsUploader => Ownership<StoredFile>.Owner;

    /// <summary>Records the extracted text as its chunks (which must tile the text) and marks the file processed.</summary>
    public void CompleteProcessing(int textLength, int tokenCount, IReadOnlyList<(int Start, string Text, int TokenCount)> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentOutOfRangeException.ThrowIfNegative(tokenCount);
        CheckRule(new FileMustBeProcessingRule(this));
        CheckRule(new ChunksMustCoverTheTextInOrderRule(chunks, textLength));
        for (var i = 0; i < chunks.Count; i++)
        {
            _chunks.Add(FileChunk.Create(Id, i, chunks[i].Start, chunks[i].Text, chunks[i].TokenCount));
        }

        TextLength = textLength;
        TokenCount = tokenCount;
        Status = FileStatus.Processed;
    }

    /// <summary>Keeps the file (its bytes stay downloadable) but marks it unusable, saying why.</summary>
    public void FailProcessing(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        CheckRule(new FileMustBeProcessingRule(this));
        Error = reason.Length > ErrorMaxLength ? reason[..(ErrorMaxLength - 1)] + "…" : reason;
        Status = FileStatus.Failed;
    }

    /// <summary>
    /// The whole extracted text from its overlapping chunks (in any order): each chunk adds what lies past
    /// the end of the text so far.
    /// </summary>
    public static string RebuildText(IEnumerable<FileChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var builder = new StringBuilder();
        var end = 0;
        foreach (var chunk in chunks.OrderBy(c => c.Index))
        {
            if (chunk.End <= end)
            {
                continue;
            }

            var skip = Math.Max(0, end - chunk.Start);
            builder.Append(chunk.Text, skip, chunk.Text.Length - skip);
            end = chunk.End;
        }

        return builder.ToString();
    }
}
