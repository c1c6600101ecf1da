using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

public sealed class AgentMayHoldAtMost100KnowledgeFilesRule(int count) : IBusinessRule
{
    public const int Max = 100;

    public bool IsBroken() => count > Max;

    public string Message => $"An agent holds at most {Max} knowledge files (this would make {count}).";

    public string? Param => "file_ids";
}
