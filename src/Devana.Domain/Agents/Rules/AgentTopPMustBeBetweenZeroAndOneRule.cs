using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

public sealed class AgentTopPMustBeBetweenZeroAndOneRule(double? topP) : IBusinessRule
{
    public bool IsBroken() => topP is { } value && !(value >= 0 && value <= 1);

    public string Message => $"top_p must be between 0 and 1 (got {topP?.ToString(System.Globalization.CultureInfo.InvariantCulture)}).";

    public string? Param => "top_p";
}
