namespace Devana.Domain.Common;

/// <summary>A domain invariant, named as a sentence (e.g. <c>AgentNameMustBeValidRule</c>).</summary>
public interface IBusinessRule
{
    bool IsBroken();

    /// <summary>What a user reads when the rule is broken.</summary>
    string Message { get; }

    /// <summary>The request field the rule is about, in snake_case, if any.</summary>
    string? Param => null;

    /// <summary>What kind of failure breaking the rule is.</summary>
    RuleViolationKind Kind => RuleViolationKind.InvalidValue;

    /// <summary>The error code, when the kind's usual one (<c>invalid_value</c>, <c>already_exists</c>, <c>access_denied</c>) says too little.</summary>
    string? Code => null;
}

/// <summary>How a broken rule maps onto the API: a bad value (400), a conflict (409) or a refusal (403).</summary>
public enum RuleViolationKind
{
    InvalidValue,
    Conflict,
    AccessDenied,
}
