using Devana.Domain.Agents;
using Devana.Domain.Agents.Rules;
using Devana.Domain.Common;
using Devana.Domain.UnitTests.Common;

namespace Devana.Domain.UnitTests.Agents;

public sealed class AgentTests
{
    private static readonly DateTimeOffset s_later = AgentFactory.Now.AddMinutes(5);

    [Fact]
    public void Create_WithoutId_GetsAnAgtIdAndTheOwnersWorkspace()
    {
        var agent = Agent.Create(null, AgentFactory.Owner, AgentFactory.Definition(), AgentFactory.Now);

        agent.Id.Should().MatchRegex("^agt_[0-9a-z]{24}$");
        agent.WorkspaceId.Should().Be("ws_a");
        agent.OwnerId.Should().Be("usr_owner");
        agent.CreatedAt.Should().Be(AgentFactory.Now);
        agent.UpdatedAt.Should().Be(AgentFactory.Now);
        agent.DeletedAt.Should().BeNull();
        agent.Visibility.Should().Be(AgentVisibility.Private);
        agent.AllowedModels.Should().BeEmpty();
        agent.FileIds.Should().BeEmpty();
        agent.Metadata.Should().BeEmpty();
    }

    [Fact]
    public void Create_GeneratedIds_AreDistinct()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => Agent.Create(null, AgentFactory.Owner, AgentFactory.Definition(), AgentFactory.Now).Id);

        ids.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Create_WithSlug_KeepsIt() =>
        AgentFactory.Create(id: "support-bot").Id.Should().Be("support-bot");

    [Fact]
    public void Create_WithInvalidSlug_BreaksSlugRule() =>
        RuleAssertions.AssertBrokenRule<AgentIdMustBeASlugRule>(() => AgentFactory.Create(id: "Not A Slug"));

    [Fact]
    public void Create_WithEverySetting_KeepsThem()
    {
        var definition = new AgentDefinition("Support")
        {
            Description = "Answers customers",
            Instructions = "Be brief.",
            Model = "echo",
            AllowedModels = ["echo", "fake-large", "echo"],
            FallbackModels = ["fake-large", "echo"],
            Temperature = 0.2,
            TopP = 0.9,
            MaxTokens = 256,
            Lang = LanguageCode.Create("fr"),
            WelcomeMessage = "Bonjour",
            Visibility = AgentVisibility.Workspace,
            Metadata = new Dictionary<string, string> { ["team"] = "care" },
        };

        var agent = Agent.Create("support", AgentFactory.Owner, definition, AgentFactory.Now);

        agent.ToDefinition().Should().BeEquivalentTo(definition with { AllowedModels = ["echo", "fake-large"] });
    }

    public static TheoryData<AgentDefinition, Type> BrokenDefinitions => new()
    {
        { new AgentDefinition(""), typeof(AgentNameMustHaveBetween1And100CharactersRule) },
        { new AgentDefinition(new string('n', 101)), typeof(AgentNameMustHaveBetween1And100CharactersRule) },
        { new AgentDefinition("a") { Description = new string('d', 513) }, typeof(AgentDescriptionMustHaveAtMost512CharactersRule) },
        { new AgentDefinition("a") { Instructions = new string('i', 32_001) }, typeof(AgentInstructionsMustHaveAtMost32000CharactersRule) },
        { new AgentDefinition("a") { Temperature = 1.5 }, typeof(AgentTemperatureMustBeBetweenZeroAndOneRule) },
        { new AgentDefinition("a") { TopP = -0.5 }, typeof(AgentTopPMustBeBetweenZeroAndOneRule) },
        { new AgentDefinition("a") { MaxTokens = 0 }, typeof(AgentMaxTokensMustBeAtLeastOneRule) },
        { new AgentDefinition("a") { WelcomeMessage = new string('w', 2_001) }, typeof(AgentWelcomeMessageMustHaveAtMost2000CharactersRule) },
        { new AgentDefinition("a") { Model = "echo", AllowedModels = ["fake-large"] }, typeof(AllowedModelsMustContainTheAgentModelRule) },
        { new AgentDefinition("a") { AllowedModels = ["fake-large"] }, typeof(AllowedModelsMustContainTheAgentModelRule) },
        { new AgentDefinition("a") { FallbackModels = ["echo", "fake-large", "echo"] }, typeof(AgentFallbackModelsMustBeDistinctAndAtMost5Rule) },
        { new AgentDefinition("a") { FallbackModels = ["a", "b", "c", "d", "e", "f"] }, typeof(AgentFallbackModelsMustBeDistinctAndAtMost5Rule) },
        { new AgentDefinition("a") { FallbackModels = [" "] }, typeof(AgentFallbackModelsMustBeDistinctAndAtMost5Rule) },
        { new AgentDefinition("a") { Metadata = Enumerable.Range(0, 17).ToDictionary(i => $"k{i}", _ => "v") }, typeof(AgentMetadataMustHaveAtMost16ShortStringKeysRule) },
    };

    [Theory]
    [MemberData(nameof(BrokenDefinitions))]
    public void Create_WhenASettingBreaksARule_ThrowsThatRule(AgentDefinition definition, Type rule)
    {
        var act = () => Agent.Create(null, AgentFactory.Owner, definition, AgentFactory.Now);

        act.Should().Throw<BusinessRuleValidationException>().Which.BrokenRule.Should().BeOfType(rule);
    }

    [Theory]
    [MemberData(nameof(BrokenDefinitions))]
    public void Update_WhenASettingBreaksARule_ThrowsAndChangesNothing(AgentDefinition definition, Type rule)
    {
        var agent = AgentFactory.Create();
        var before = agent.ToDefinition();

        var act = () => agent.Update(AgentFactory.Owner, _ => definition, s_later);

        act.Should().Throw<BusinessRuleValidationException>().Which.BrokenRule.Should().BeOfType(rule);
        agent.ToDefinition().Should().BeEquivalentTo(before);
        agent.UpdatedAt.Should().Be(AgentFactory.Now);
    }

    [Fact]
    public void Update_ByOwner_ReplacesSettingsAndStampsUpdatedAt()
    {
        var agent = AgentFactory.Create();

        agent.Update(AgentFactory.Owner, _ => new AgentDefinition("Renamed") { Temperature = 0.1 }, s_later);

        agent.Name.Should().Be("Renamed");
        agent.Temperature.Should().Be(0.1);
        agent.UpdatedAt.Should().Be(s_later);
        agent.CreatedAt.Should().Be(AgentFactory.Now);
        agent.OwnerId.Should().Be("usr_owner");
    }

    [Fact]
    public void Update_ByWorkspaceAdmin_IsAllowed()
    {
        var agent = AgentFactory.Create();

        agent.Update(AgentFactory.Admin, _ => new AgentDefinition("By admin"), s_later);

        agent.Name.Should().Be("By admin");
        agent.OwnerId.Should().Be("usr_owner", "an admin's change does not take the agent over");
    }

    [Theory]
    [InlineData(AgentVisibility.Private)]
    [InlineData(AgentVisibility.Workspace)]
    public void Update_ByAnotherMember_BreaksTheChangeRule(AgentVisibility visibility)
    {
        var agent = AgentFactory.Create(visibility: visibility);

        RuleAssertions.AssertBrokenRule<AgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdminRule>(
            () => agent.Update(AgentFactory.Member, _ => new AgentDefinition("Mine now"), s_later));
        agent.Name.Should().Be("Support");
    }

    [Fact]
    public void Update_ByAnAdminOfAnotherWorkspace_BreaksTheChangeRule()
    {
        var agent = AgentFactory.Create(visibility: AgentVisibility.Workspace);

        RuleAssertions.AssertBrokenRule<AgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdminRule>(
            () => agent.Update(AgentFactory.Stranger, _ => new AgentDefinition("x"), s_later));
    }

    [Fact]
    public void Delete_ByOwner_SetsDeletedAtAndTheAgentCanNoLongerBeUsed()
    {
        var agent = AgentFactory.Create(visibility: AgentVisibility.Workspace);

        agent.Delete(AgentFactory.Owner, s_later);

        agent.IsDeleted.Should().BeTrue();
        agent.DeletedAt.Should().Be(s_later);
        agent.Invoking(a => a.EnsureCanBeUsedBy(AgentFactory.Owner)).Should().Throw<BusinessRuleValidationException>();
    }

    [Fact]
    public void Delete_Twice_KeepsTheFirstTime()
    {
        var agent = AgentFactory.Create();
        agent.Delete(AgentFactory.Owner, s_later);

        agent.Delete(AgentFactory.Admin, s_later.AddHours(1));

        agent.DeletedAt.Should().Be(s_later);
    }

    [Fact]
    public void Delete_ByAnotherMember_BreaksTheChangeRule()
    {
        var agent = AgentFactory.Create(visibility: AgentVisibility.Workspace);

        RuleAssertions.AssertBrokenRule<AgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdminRule>(() => agent.Delete(AgentFactory.Member, s_later));
        agent.IsDeleted.Should().BeFalse();
    }

    public static TheoryData<string, AgentVisibility, bool, bool, bool> AccessMatrix => new()
    {
        // actor, visibility, may use, may change, may read
        { "owner", AgentVisibility.Private, true, true, true },
        { "owner", AgentVisibility.Workspace, true, true, true },
        { "member", AgentVisibility.Private, false, false, false },
        { "member", AgentVisibility.Workspace, true, false, true },
        { "admin", AgentVisibility.Private, false, true, true },
        { "admin", AgentVisibility.Workspace, true, true, true },
        { "stranger", AgentVisibility.Private, false, false, false },
        { "stranger", AgentVisibility.Workspace, false, false, false },
    };

    // Each access rule is tested once, in both its forms: as the aggregate checks it and as the database runs it.

    [Theory]
    [MemberData(nameof(AccessMatrix))]
    public void AnAgentMayBeUsedOnlyByItsOwnerUnlessSharedWithTheWorkspace(string who, AgentVisibility visibility, bool mayUse, bool mayChange, bool mayRead)
    {
        _ = (mayChange, mayRead);
        var agent = AgentFactory.Create(visibility: visibility);
        var actor = ActorNamed(who);

        new AgentMayBeUsedOnlyByItsOwnerUnlessSharedWithTheWorkspaceRule(agent, actor).IsBroken().Should().Be(!mayUse);
        Agent.UsableBy(actor).Compile()(agent).Should().Be(mayUse);
    }

    [Theory]
    [MemberData(nameof(AccessMatrix))]
    public void AnAgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdmin(string who, AgentVisibility visibility, bool mayUse, bool mayChange, bool mayRead)
    {
        _ = (mayUse, mayRead);
        var agent = AgentFactory.Create(visibility: visibility);
        var actor = ActorNamed(who);

        new AgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdminRule(agent, actor).IsBroken().Should().Be(!mayChange);
        agent.CanBeChangedBy(actor).Should().Be(mayChange);
        AgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdminRule.Access.For(actor).Compile()(agent).Should().Be(mayChange);
    }

    [Theory]
    [MemberData(nameof(AccessMatrix))]
    public void AnAgentMayBeReadByWhoeverMayUseOrChangeIt(string who, AgentVisibility visibility, bool mayUse, bool mayChange, bool mayRead)
    {
        var agent = AgentFactory.Create(visibility: visibility);
        var actor = ActorNamed(who);

        mayRead.Should().Be(mayUse || mayChange);
        new AgentMayBeReadByWhoeverMayUseOrChangeItRule(agent, actor).IsBroken().Should().Be(!mayRead);
        Agent.ViewableBy(actor).Compile()(agent).Should().Be(mayRead);
    }

    [Fact]
    public void ADeletedAgentIsUsedAndReadByNoOne()
    {
        var agent = AgentFactory.Create(visibility: AgentVisibility.Workspace);
        agent.Delete(AgentFactory.Owner, s_later);

        new AgentMayBeUsedOnlyByItsOwnerUnlessSharedWithTheWorkspaceRule(agent, AgentFactory.Owner).IsBroken().Should().BeTrue();
        new AgentMayBeReadByWhoeverMayUseOrChangeItRule(agent, AgentFactory.Admin).IsBroken().Should().BeTrue();
        Agent.UsableBy(AgentFactory.Owner).Compile()(agent).Should().BeFalse();
        Agent.ViewableBy(AgentFactory.Admin).Compile()(agent).Should().BeFalse();
    }

    [Fact]
    public void EnsureCanBeUsedBy_WhenPrivateToSomeoneElse_BreaksTheUseRule()
    {
        var agent = AgentFactory.Create();

        RuleAssertions.AssertBrokenRule<AgentMayBeUsedOnlyByItsOwnerUnlessSharedWithTheWorkspaceRule>(() => agent.EnsureCanBeUsedBy(AgentFactory.Admin));
    }

    [Fact]
    public void EnsureCanBeViewedBy_WhenPrivateToAnotherMember_BreaksTheReadRule()
    {
        var agent = AgentFactory.Create();

        RuleAssertions.AssertBrokenRule<AgentMayBeReadByWhoeverMayUseOrChangeItRule>(() => agent.EnsureCanBeViewedBy(AgentFactory.Member));
    }

    private static Actor ActorNamed(string who) => who switch
    {
        "owner" => AgentFactory.Owner,
        "member" => AgentFactory.Member,
        "admin" => AgentFactory.Admin,
        _ => AgentFactory.Stranger,
    };
}
