using Devana.Domain.Common;

namespace Devana.Domain.Files.Rules;

public sealed class FileMustNotBeEmptyRule(long bytes) : IBusinessRule
{
    public bool IsBroken() => bytes <= 0;

    public string Message => "The file is empty.";

    public string? Param => "file";
}
