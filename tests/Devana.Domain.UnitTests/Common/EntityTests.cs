using Devana.Domain.Common;

namespace Devana.Domain.UnitTests.Common;

public sealed class EntityTests
{
    private sealed class MustBePositiveRule(int value) : IBusinessRule
    {
        public bool IsBroken() => value <= 0;

        public string Message => "value must be positive";

        public string? Param => "value";
    }

    private sealed class Counter : Entity
    {
        public int Value { get; private set; }

        public void Set(int value)
        {
            CheckRule(new MustBePositiveRule(value));
            Value = value;
        }
    }

    [Fact]
    public void CheckRule_WhenRuleIsBroken_ThrowsWithTheRule()
    {
        var counter = new Counter();

        var act = () => counter.Set(0);

        act.Should().Throw<BusinessRuleValidationException>()
            .Which.BrokenRule.Should().BeOfType<MustBePositiveRule>()
            .Which.Param.Should().Be("value");
        counter.Value.Should().Be(0, "a broken rule changes nothing");
    }

    [Fact]
    public void Behaviour_WhenRuleHolds_AppliesTheChange()
    {
        var counter = new Counter();

        counter.Set(3);

        counter.Value.Should().Be(3);
    }
}
