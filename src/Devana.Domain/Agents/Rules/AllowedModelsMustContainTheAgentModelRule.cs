using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

/// <summary>
/// A restricted agent (non-empty <c>allowed_models</c>) names its default <c>model</c>, and that model
/// is one of the allowed ones. An empty list allows every catalog model. Leaving <c>model</c> null on
/// a restricted agent is refused rather than resolved to the catalog default, which could later change
/// to a model the list does not allow.
/// </summary>
public sealed class AllowedModelsMustContainTheAgentModelRule(string? model, IReadOnlyCollection<string> allowedModels) : IBusinessRule
{
    public bool IsBroken() => allowedModels.Count > 0 && (model is null || !allowedModels.Contains(model, StringComparer.Ordinal));

    public string Message => model is null
        ? "model must be set when allowed_models is not empty, and be one of allowed_models."
        : $"allowed_models must contain the agent's model '{model}' when it is not empty.";

    public string? Param => model is null ? "model" : "allowed_models";
}
