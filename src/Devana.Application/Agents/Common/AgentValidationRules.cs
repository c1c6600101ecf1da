using Devana.Application.Common.Exceptions;
using Devana.Application.Llm.Common;
using FluentValidation;

namespace Devana.Application.Agents.Common;

/// <summary>
/// The checks of agent settings that need more than the agent itself (the LLM catalog) or that concern
/// the wire (enum names). Value rules (lengths, ranges) are the domain's (<c>Domain/Agents/Rules</c>).
/// </summary>
public static class AgentValidationRules
{
    public static IRuleBuilderOptions<T, string?> MustBeACatalogModel<T>(this IRuleBuilder<T, string?> rule, ILlmCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return rule
            .Must(id => id is null || catalog.Find(id) is not null)
            .WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage((_, id) => $"model '{id}' is not in the LLM catalog; GET /v1/llms lists the available ones.");
    }

    /// <summary>Every id of the list is in the catalog; the message names <c>field</c> (the list's wire name).</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> MustAllBeCatalogModels<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule, ILlmCatalog catalog, string field = "allowed_models")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return rule
            .Must(ids => ids is null || ids.All(id => id is not null && catalog.Find(id) is not null))
            .WithErrorCode(ErrorCodes.InvalidValue)
            .WithMessage((_, ids) =>
            {
                var unknown = (ids ?? []).Where(id => id is null || catalog.Find(id) is null).Select(id => $"'{id}'");
                return $"{field} holds {string.Join(", ", unknown)}, not in the LLM catalog; GET /v1/llms lists the available ones.";
            });
    }

    public static IRuleBuilderOptions<T, string?> MustBeAVisibility<T>(this IRuleBuilder<T, string?> rule) =>
        rule
            .Must(name => name is null || AgentVisibilityNames.TryParse(name, out _))
            .WithErrorCode(ErrorCodes.UnknownParameterValue)
            .WithMessage((_, name) => $"visibility must be '{AgentVisibilityNames.Private}' or '{AgentVisibilityNames.Workspace}' (got '{name}').");
}
