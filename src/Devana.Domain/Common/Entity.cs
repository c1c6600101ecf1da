namespace Devana.Domain.Common;

/// <summary>
/// Base of every entity: checks business rules. (Entities raise no domain events: nothing consumed them;
/// see docs/decisions/ADR-003-domain-events.md.)
/// </summary>
public abstract class Entity
{
    protected static void CheckRule(IBusinessRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.IsBroken())
        {
            throw new BusinessRuleValidationException(rule);
        }
    }
}
