using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

public sealed class AgentMaxToolRoundsMustBeBetween1And20Rule(int? rounds) : IBusinessRule
{
    public const int Max = 20;

    public bool IsBroken() => rounds is < 1 or > Max;

    public string Message => $"max_tool_rounds must be between 1 and {Max} (got {rounds}).";

    public string? Param => "max_tool_rounds";
}
