namespace Devana.Domain.Common;

/// <summary>Thrown when an entity's behaviour would break one of its rules.</summary>
public sealed class BusinessRuleValidationException : Exception
{
    public BusinessRuleValidationException(IBusinessRule brokenRule)
        : base(brokenRule?.Message)
    {
        ArgumentNullException.ThrowIfNull(brokenRule);
        BrokenRule = brokenRule;
    }

    public IBusinessRule BrokenRule { get; }

    public override string ToString() => $"{BrokenRule.GetType().Name}: {BrokenRule.Message}";
}
