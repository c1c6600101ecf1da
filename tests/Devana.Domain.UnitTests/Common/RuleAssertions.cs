using Devana.Domain.Common;

namespace Devana.Domain.UnitTests.Common;

/// <summary>Asserts that an action breaks one specific business rule (KG's <c>AssertBrokenRule</c>).</summary>
public static class RuleAssertions
{
    public static TRule AssertBrokenRule<TRule>(Action action)
        where TRule : IBusinessRule
    {
        var exception = action.Should().Throw<BusinessRuleValidationException>().Which;
        return exception.BrokenRule.Should().BeOfType<TRule>().Which;
    }
}
