using Devana.Domain.Workspaces;
using Devana.Domain.Workspaces.Rules;
using static Devana.Domain.UnitTests.Common.RuleAssertions;

namespace Devana.Domain.UnitTests.Workspaces;

public sealed class WorkspaceTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_WithSlug_HasPrefixedIdAndName()
    {
        var workspace = Workspace.Create("default", s_now);

        workspace.Id.Should().MatchRegex("^ws_[0-9a-z]{24}$");
        workspace.Name.Should().Be("default");
        workspace.CreatedAt.Should().Be(s_now);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Default")]
    [InlineData("-lead")]
    [InlineData("has space")]
    public void Create_WhenNameIsNotASlug_BreaksWorkspaceNameMustBeASlugRule(string name)
    {
        AssertBrokenRule<WorkspaceNameMustBeASlugRule>(() => Workspace.Create(name, s_now));
    }
}
