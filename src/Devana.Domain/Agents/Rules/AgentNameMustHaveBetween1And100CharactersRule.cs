using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

/// <summary>A name is 1 to 100 characters and not only white space.</summary>
public sealed class AgentNameMustHaveBetween1And100CharactersRule(string? name) : IBusinessRule
{
    public const int MaxLength = 100;

    public bool IsBroken() => string.IsNullOrWhiteSpace(name) || name.Length > MaxLength;

    public string Message => string.IsNullOrWhiteSpace(name)
        ? "name must not be empty."
        : $"name must be at most {MaxLength} characters (it has {name.Length}).";

    public string? Param => "name";
}
