using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

public sealed class AgentMaxTokensMustBeAtLeastOneRule(int? maxTokens) : IBusinessRule
{
    public bool IsBroken() => maxTokens < 1;

    public string Message => $"max_tokens must be at least 1 (got {maxTokens}).";

    public string? Param => "max_tokens";
}
