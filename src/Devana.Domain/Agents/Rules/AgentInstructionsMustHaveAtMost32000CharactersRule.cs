using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

public sealed class AgentInstructionsMustHaveAtMost32000CharactersRule(string? instructions) : IBusinessRule
{
    public const int MaxLength = 32_000;

    public bool IsBroken() => instructions?.Length > MaxLength;

    public string Message => $"instructions must be at most {MaxLength} characters (they have {instructions?.Length}).";

    public string? Param => "instructions";
}
