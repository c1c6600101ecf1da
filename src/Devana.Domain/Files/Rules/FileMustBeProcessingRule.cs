using Devana.Domain.Common;

namespace Devana.Domain.Files.Rules;

public sealed class FileMustBeProcessingRule(StoredFile file) : IBusinessRule
{
    public bool IsBroken() => file.Status != FileStatus.Processing;

    public string Message => $"File {file.Id} has already been processed.";
}
