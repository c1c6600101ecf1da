using Devana.Domain.Agents;
using Devana.Domain.Agents.Rules;
using Devana.Domain.UnitTests.Common;

namespace Devana.Domain.UnitTests.Agents;

public sealed class AgentToolTests
{
    private static AgentTool Tool(string name) =>
        new(name, "d", """{"type":"object"}""", "https://tools.example.com/x", AgentToolMethod.Post, new Dictionary<string, string> { ["Authorization"] = "protected" }, 30, false);

    [Fact]
    public void Create_WithTools_KeepsThemAndDefaultsTheRounds()
    {
        var agent = Agent.Create(null, AgentFactory.Owner, AgentFactory.Definition() with { Tools = [Tool("a"), Tool("b")] }, AgentFactory.Now);

        agent.Tools.Select(t => t.Name).Should().Equal("a", "b");
        agent.MaxToolRounds.Should().BeNull();
        agent.ToDefinition().Tools.Should().Equal(agent.Tools);
    }

    [Fact]
    public void Create_WithTwoToolsOfOneName_BreaksTheUniqueNamesRule() =>
        RuleAssertions.AssertBrokenRule<AgentToolsMustBeFewWithUniqueNamesRule>(() =>
            Agent.Create(null, AgentFactory.Owner, AgentFactory.Definition() with { Tools = [Tool("a"), Tool("a")] }, AgentFactory.Now));

    [Fact]
    public void Create_WithMoreThan32Tools_BreaksTheRule() =>
        RuleAssertions.AssertBrokenRule<AgentToolsMustBeFewWithUniqueNamesRule>(() =>
            Agent.Create(null, AgentFactory.Owner, AgentFactory.Definition() with { Tools = Enumerable.Range(0, 33).Select(i => Tool($"t{i}")).ToList() }, AgentFactory.Now));

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public void Create_WithRoundsOutOfRange_BreaksTheRoundsRule(int rounds) =>
        RuleAssertions.AssertBrokenRule<AgentMaxToolRoundsMustBeBetween1And20Rule>(() =>
            Agent.Create(null, AgentFactory.Owner, AgentFactory.Definition() with { MaxToolRounds = rounds }, AgentFactory.Now));

    [Fact]
    public void Equals_ComparesHeadersByContent()
    {
        Tool("a").Should().Be(Tool("a"));
        Tool("a").Should().NotBe(Tool("a") with { Headers = new Dictionary<string, string> { ["Authorization"] = "other" } });
    }
}
