using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

/// <summary>
/// <c>fallback_models</c> is an ordered list of at most <see cref="Max"/> different LLM ids: each one is a
/// further wait for a caller whose LLM failed, so the chain stays short, and an LLM named twice would only be
/// asked twice for the same failure.
/// </summary>
public sealed class AgentFallbackModelsMustBeDistinctAndAtMost5Rule(IReadOnlyList<string> fallbackModels) : IBusinessRule
{
    public const int Max = 5;

    public bool IsBroken() => fallbackModels.Count > Max || Duplicate() is not null || fallbackModels.Any(string.IsNullOrWhiteSpace);

    public string Message => fallbackModels.Count > Max
        ? $"fallback_models holds at most {Max} LLM ids (got {fallbackModels.Count})."
        : fallbackModels.Any(string.IsNullOrWhiteSpace)
            ? "fallback_models holds LLM ids, not empty strings."
            : $"fallback_models names '{Duplicate()}' more than once; each LLM is tried at most once.";

    public string? Param => "fallback_models";

    private string? Duplicate() => fallbackModels.GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1)?.Key;
}
