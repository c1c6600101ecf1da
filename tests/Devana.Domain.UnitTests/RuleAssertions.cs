using Devana.Domain.Common;

namespace Devana.Domain.UnitTests;

/// <summary>The action throws for exactly this rule.</summary>
public static class RuleAssertions
{
    public static TRule AssertBrokenRule<TRule>(Action action)
        where TRule : IBusinessRule
    {
        var exception = action.Should().Throw<BusinessRuleValidationException>().Which;
        return exception.BrokenRule.Should().BeOfType<TRule>().Subject;
    }
}
