using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

/// <summary>0 to 1: Devana's range, not OpenAI's 0 to 2 (docs/api.md#completions).</summary>
public sealed class AgentTemperatureMustBeBetweenZeroAndOneRule(double? temperature) : IBusinessRule
{
    public bool IsBroken() => temperature is { } value && !(value >= 0 && value <= 1);

    public string Message => $"temperature must be between 0 and 1 (got {temperature?.ToString(System.Globalization.CultureInfo.InvariantCulture)}).";

    public string? Param => "temperature";
}
