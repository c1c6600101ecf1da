namespace Devana.Domain.Files;

/// <summary>Where a file is in its processing. The wire shows <c>processed</c> or <c>failed</c>.</summary>
public enum FileStatus
{
    /// <summary>Stored, text not extracted yet. Uploads are processed before they are saved, so this is never persisted today.</summary>
    Processing,

    /// <summary>Text extracted and chunked: the file can be used in completions.</summary>
    Processed,

    /// <summary>The bytes are kept, but no text could be extracted; <see cref="StoredFile.Error"/> says why.</summary>
    Failed,
}
