using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

/// <summary>At most <see cref="Max"/> tools, no two with the same name (the LLM calls them by name).</summary>
public sealed class AgentToolsMustBeFewWithUniqueNamesRule(IReadOnlyList<AgentTool> tools) : IBusinessRule
{
    public const int Max = 32;

    private string? Duplicate => tools.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;

    public bool IsBroken() => tools.Count > Max || Duplicate is not null;

    public string Message => tools.Count > Max
        ? $"An agent has at most {Max} tools (got {tools.Count})."
        : $"Tool names must be unique in the agent: '{Duplicate}' is used twice.";

    public string? Param => "tools";
}
