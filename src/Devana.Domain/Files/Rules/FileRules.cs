using Devana.Domain.Common;

namespace Devana.Domain.Files.Rules;

public sealed class FileMustNotBeEmptyRule(long bytes) : IBusinessRule
{
    public bool IsBroken() => bytes <= 0;

    public string Message => "The file is empty.";

    public string? Param => "file";
}

public sealed class FilenameMustBeValidRule(string? filename) : IBusinessRule
{
    public bool IsBroken() => string.IsNullOrWhiteSpace(filename) || filename.Length > StoredFile.FilenameMaxLength;

    public string Message => $"The file name must be 1 to {StoredFile.FilenameMaxLength} characters.";

    public string? Param => "file";
}

public sealed class FileMustBeProcessingRule(StoredFile file) : IBusinessRule
{
    public bool IsBroken() => file.Status != FileStatus.Processing;

    public string Message => $"File {file.Id} has already been processed.";
}

/// <summary>The chunks must tile the text in order: each starts inside or at the end of the one before, the first at 0.</summary>
public sealed class ChunksMustCoverTheTextInOrderRule(IReadOnlyList<(int Start, string Text, int TokenCount)> chunks, int textLength) : IBusinessRule
{
    public bool IsBroken()
    {
        if (chunks.Count == 0 || chunks[0].Start != 0)
        {
            return true;
        }

        var end = 0;
        foreach (var (start, text, _) in chunks)
        {
            if (start > end || start + text.Length <= end || string.IsNullOrEmpty(text))
            {
                return true;
            }

            end = start + text.Length;
        }

        return end != textLength;
    }

    public string Message => "The chunks do not cover the extracted text in order.";
}
