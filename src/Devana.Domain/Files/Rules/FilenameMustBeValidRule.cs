using Devana.Domain.Common;

namespace Devana.Domain.Files.Rules;

public sealed class FilenameMustBeValidRule(string? filename) : IBusinessRule
{
    public bool IsBroken() => string.IsNullOrWhiteSpace(filename) || filename.Length > StoredFile.FilenameMaxLength;

    public string Message => $"The file name must be 1 to {StoredFile.FilenameMaxLength} characters.";

    public string? Param => "file";
}
