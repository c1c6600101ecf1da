namespace Devana.Application.Files.Common;

/// <summary>The file object (docs/api.md#files).</summary>
public sealed record FileDto
{
    public string Id { get; init; } = null!;

    public string Object => "file";

    public string Filename { get; init; } = null!;

    public long Bytes { get; init; }

    public string ContentType { get; init; } = null!;

    public string Sha256 { get; init; } = null!;

    /// <summary><c>processed</c> or <c>failed</c>.</summary>
    public string Status { get; init; } = null!;

    /// <summary>Why processing failed; null when it did not.</summary>
    public string? Error { get; init; }

    public long CreatedAt { get; init; }
}
