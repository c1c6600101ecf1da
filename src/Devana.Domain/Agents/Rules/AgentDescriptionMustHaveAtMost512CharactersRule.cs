using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

public sealed class AgentDescriptionMustHaveAtMost512CharactersRule(string? description) : IBusinessRule
{
    public const int MaxLength = 512;

    public bool IsBroken() => description?.Length > MaxLength;

    public string Message => $"description must be at most {MaxLength} characters (it has {description?.Length}).";

    public string? Param => "description";
}
