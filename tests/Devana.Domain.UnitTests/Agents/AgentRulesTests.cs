using Devana.Domain.Agents;
using Devana.Domain.Agents.Rules;
using Devana.Domain.Common;

namespace Devana.Domain.UnitTests.Agents;

/// <summary>Each rule on its own: where its boundary lies, the param it names and how it maps onto the API.</summary>
public sealed class AgentRulesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("support-bot")]
    [InlineData("team.sales_v2")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")] // 64 characters
    public void AgentIdMustBeASlug_WhenSlug_Holds(string id) =>
        new AgentIdMustBeASlugRule(id).IsBroken().Should().BeFalse();

    [Theory]
    [InlineData("")]
    [InlineData("-starts-with-dash")]
    [InlineData(".hidden")]
    [InlineData("_under")]
    [InlineData("Upper")]
    [InlineData("has space")]
    [InlineData("slash/x")]
    [InlineData("é")]
    [InlineData("a2345678901234567890123456789012345678901234567890123456789012345")] // 65 characters
    [InlineData(null)]
    public void AgentIdMustBeASlug_WhenNotASlug_IsBrokenNamingId(string? id)
    {
        var rule = new AgentIdMustBeASlugRule(id);

        rule.IsBroken().Should().BeTrue();
        rule.Param.Should().Be("id");
        ((IBusinessRule)rule).Kind.Should().Be(RuleViolationKind.InvalidValue);
    }

    [Theory]
    [InlineData("A", false)]
    [InlineData(" x ", false)]
    [InlineData("", true)]
    [InlineData("   ", true)]
    [InlineData(null, true)]
    public void AgentNameMustHaveBetween1And100Characters_ChecksEmptiness(string? name, bool broken)
    {
        var rule = new AgentNameMustHaveBetween1And100CharactersRule(name);

        rule.IsBroken().Should().Be(broken);
        rule.Param.Should().Be("name");
    }

    [Theory]
    [InlineData(100, false)]
    [InlineData(101, true)]
    public void AgentNameMustHaveBetween1And100Characters_ChecksLength(int length, bool broken) =>
        new AgentNameMustHaveBetween1And100CharactersRule(new string('n', length)).IsBroken().Should().Be(broken);

    [Theory]
    [InlineData(0, false)]
    [InlineData(512, false)]
    [InlineData(513, true)]
    public void AgentDescriptionMustHaveAtMost512Characters_ChecksLength(int length, bool broken)
    {
        var rule = new AgentDescriptionMustHaveAtMost512CharactersRule(new string('d', length));

        rule.IsBroken().Should().Be(broken);
        rule.Param.Should().Be("description");
        new AgentDescriptionMustHaveAtMost512CharactersRule(null).IsBroken().Should().BeFalse();
    }

    [Theory]
    [InlineData(32_000, false)]
    [InlineData(32_001, true)]
    public void AgentInstructionsMustHaveAtMost32000Characters_ChecksLength(int length, bool broken)
    {
        var rule = new AgentInstructionsMustHaveAtMost32000CharactersRule(new string('i', length));

        rule.IsBroken().Should().Be(broken);
        rule.Param.Should().Be("instructions");
        new AgentInstructionsMustHaveAtMost32000CharactersRule(null).IsBroken().Should().BeFalse();
    }

    [Theory]
    [InlineData(2_000, false)]
    [InlineData(2_001, true)]
    public void AgentWelcomeMessageMustHaveAtMost2000Characters_ChecksLength(int length, bool broken)
    {
        var rule = new AgentWelcomeMessageMustHaveAtMost2000CharactersRule(new string('w', length));

        rule.IsBroken().Should().Be(broken);
        rule.Param.Should().Be("welcome_message");
        new AgentWelcomeMessageMustHaveAtMost2000CharactersRule(null).IsBroken().Should().BeFalse();
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(0.0, false)]
    [InlineData(0.5, false)]
    [InlineData(1.0, false)]
    [InlineData(-0.01, true)]
    [InlineData(1.01, true)]
    [InlineData(2.0, true)]
    [InlineData(double.NaN, true)]
    public void AgentTemperatureMustBeBetweenZeroAndOne_ChecksRange(double? temperature, bool broken)
    {
        var rule = new AgentTemperatureMustBeBetweenZeroAndOneRule(temperature);

        rule.IsBroken().Should().Be(broken);
        rule.Param.Should().Be("temperature");
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(0.0, false)]
    [InlineData(1.0, false)]
    [InlineData(-0.1, true)]
    [InlineData(1.5, true)]
    [InlineData(double.NaN, true)]
    public void AgentTopPMustBeBetweenZeroAndOne_ChecksRange(double? topP, bool broken)
    {
        var rule = new AgentTopPMustBeBetweenZeroAndOneRule(topP);

        rule.IsBroken().Should().Be(broken);
        rule.Param.Should().Be("top_p");
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(1, false)]
    [InlineData(100_000, false)]
    [InlineData(0, true)]
    [InlineData(-1, true)]
    public void AgentMaxTokensMustBeAtLeastOne_ChecksRange(int? maxTokens, bool broken)
    {
        var rule = new AgentMaxTokensMustBeAtLeastOneRule(maxTokens);

        rule.IsBroken().Should().Be(broken);
        rule.Param.Should().Be("max_tokens");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("fr")]
    [InlineData("zh")]
    [InlineData("EN")]
    public void LanguageMustBeAnIso6391Code_WhenCode_Holds(string code) =>
        new LanguageMustBeAnIso6391CodeRule(code).IsBroken().Should().BeFalse();

    [Theory]
    [InlineData("")]
    [InlineData("e")]
    [InlineData("eng")]
    [InlineData("en-US")]
    [InlineData("xx")]
    [InlineData("sh")]
    [InlineData(null)]
    public void LanguageMustBeAnIso6391Code_WhenNotACode_IsBrokenNamingLang(string? code)
    {
        var rule = new LanguageMustBeAnIso6391CodeRule(code);

        rule.IsBroken().Should().BeTrue();
        rule.Param.Should().Be("lang");
    }

    [Fact]
    public void AllowedModelsMustContainTheAgentModel_WhenListIsEmpty_Holds()
    {
        new AllowedModelsMustContainTheAgentModelRule(null, []).IsBroken().Should().BeFalse();
        new AllowedModelsMustContainTheAgentModelRule("echo", []).IsBroken().Should().BeFalse();
    }

    [Fact]
    public void AllowedModelsMustContainTheAgentModel_WhenModelIsInTheList_Holds() =>
        new AllowedModelsMustContainTheAgentModelRule("echo", ["fake-large", "echo"]).IsBroken().Should().BeFalse();

    [Fact]
    public void AllowedModelsMustContainTheAgentModel_WhenModelIsNotInTheList_IsBrokenNamingAllowedModels()
    {
        var rule = new AllowedModelsMustContainTheAgentModelRule("echo", ["fake-large"]);

        rule.IsBroken().Should().BeTrue();
        rule.Param.Should().Be("allowed_models");
    }

    [Fact]
    public void AllowedModelsMustContainTheAgentModel_WhenListIsSetButModelIsNot_IsBrokenNamingModel()
    {
        var rule = new AllowedModelsMustContainTheAgentModelRule(null, ["fake-large"]);

        rule.IsBroken().Should().BeTrue();
        rule.Param.Should().Be("model");
    }

    [Fact]
    public void AgentMetadataMustHaveAtMost16ShortStringKeys_At16Keys_Holds()
    {
        var metadata = Enumerable.Range(0, 16).ToDictionary(i => $"k{i}", i => new string('v', 512));

        new AgentMetadataMustHaveAtMost16ShortStringKeysRule(metadata).IsBroken().Should().BeFalse();
    }

    [Fact]
    public void AgentMetadataMustHaveAtMost16ShortStringKeys_At17Keys_IsBrokenNamingMetadata()
    {
        var metadata = Enumerable.Range(0, 17).ToDictionary(i => $"k{i}", i => "v");
        var rule = new AgentMetadataMustHaveAtMost16ShortStringKeysRule(metadata);

        rule.IsBroken().Should().BeTrue();
        rule.Param.Should().Be("metadata");
        rule.Message.Should().Contain("16");
    }

    [Theory]
    [InlineData("", "v")]
    [InlineData("k2345678901234567890123456789012345678901234567890123456789012345", "v")] // 65-character key
    public void AgentMetadataMustHaveAtMost16ShortStringKeys_WhenKeyIsEmptyOrLong_IsBroken(string key, string value) =>
        new AgentMetadataMustHaveAtMost16ShortStringKeysRule(new Dictionary<string, string> { [key] = value }).IsBroken().Should().BeTrue();

    [Fact]
    public void AgentMetadataMustHaveAtMost16ShortStringKeys_WhenValueIsLongOrNull_IsBroken()
    {
        new AgentMetadataMustHaveAtMost16ShortStringKeysRule(new Dictionary<string, string> { ["k"] = new string('v', 513) }).IsBroken().Should().BeTrue();
        new AgentMetadataMustHaveAtMost16ShortStringKeysRule(new Dictionary<string, string> { ["k"] = null! }).IsBroken().Should().BeTrue();
    }

    [Fact]
    public void AgentMayBeUsedOnlyByItsOwnerUnlessShared_IsAnAccessDeniedRule()
    {
        var agent = AgentFactory.Create(owner: AgentFactory.Owner, visibility: AgentVisibility.Private);

        var rule = new AgentMayBeUsedOnlyByItsOwnerUnlessSharedWithTheWorkspaceRule(agent, AgentFactory.Member);

        rule.IsBroken().Should().BeTrue();
        rule.Kind.Should().Be(RuleViolationKind.AccessDenied);
        new AgentMayBeUsedOnlyByItsOwnerUnlessSharedWithTheWorkspaceRule(agent, AgentFactory.Owner).IsBroken().Should().BeFalse();
    }

    [Fact]
    public void AgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdmin_IsAnAccessDeniedRule()
    {
        var agent = AgentFactory.Create(owner: AgentFactory.Owner, visibility: AgentVisibility.Workspace);

        var rule = new AgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdminRule(agent, AgentFactory.Member);

        rule.IsBroken().Should().BeTrue();
        rule.Kind.Should().Be(RuleViolationKind.AccessDenied);
        new AgentMayBeChangedOnlyByItsOwnerOrAWorkspaceAdminRule(agent, AgentFactory.Admin).IsBroken().Should().BeFalse();
    }
}
