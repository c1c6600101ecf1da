using Devana.Domain.Common;
using Devana.Domain.Quotas;
using Devana.Domain.Quotas.Rules;
using Devana.Domain.UnitTests.Common;

namespace Devana.Domain.UnitTests.Quotas;

public sealed class QuotaLimitsTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly Actor s_admin = new("ws_a", "usr_admin", isWorkspaceAdmin: true);
    private static readonly Actor s_member = new("ws_a", "usr_member", isWorkspaceAdmin: false);

    [Fact]
    public void Create_KeepsEachLimit()
    {
        var limits = QuotaLimits.Create(1, 2, 3, 4);

        limits.Of(QuotaLimitKind.RequestsPerMinute).Should().Be(1);
        limits.Of(QuotaLimitKind.RequestsPerDay).Should().Be(2);
        limits.Of(QuotaLimitKind.TokensPerDay).Should().Be(3);
        limits.Of(QuotaLimitKind.TokensPerMonth).Should().Be(4);
        limits.IsUnlimited.Should().BeFalse();
        QuotaLimits.None.IsUnlimited.Should().BeTrue();
    }

    [Fact]
    public void Create_WithANegativeLimit_BreaksTheRuleNamingIt()
    {
        var rule = RuleAssertions.AssertBrokenRule<QuotaLimitMustNotBeNegativeRule>(() => QuotaLimits.Create(0, 0, -1, 0));

        rule.Param.Should().Be("tokens_per_day");
        rule.Message.Should().Contain("tokens_per_day");
    }

    [Fact]
    public void Quota_CreatedByAnAdmin_HoldsItsLimits()
    {
        var quota = Quota.Create(s_admin, QuotaLevel.Principal, "usr_bob", QuotaLimits.Create(5, 0, 1000, 0), s_now);

        quota.WorkspaceId.Should().Be("ws_a");
        quota.Level.Should().Be(QuotaLevel.Principal);
        quota.SubjectId.Should().Be("usr_bob");
        quota.Limits.Should().Be(QuotaLimits.Create(5, 0, 1000, 0));
        quota.CreatedAt.Should().Be(s_now);
    }

    [Fact]
    public void Quota_SetByAMember_BreaksTheAdminRule()
    {
        RuleAssertions.AssertBrokenRule<QuotasMayBeSetOnlyByAWorkspaceAdminRule>(
            () => Quota.Create(s_member, QuotaLevel.Agent, "support", QuotaLimits.None, s_now))
            .Kind.Should().Be(RuleViolationKind.AccessDenied);
    }

    [Fact]
    public void Quota_ChangedByAnAdminOfAnotherWorkspace_BreaksTheAdminRule()
    {
        var quota = Quota.Create(s_admin, QuotaLevel.Agent, "support", QuotaLimits.None, s_now);

        RuleAssertions.AssertBrokenRule<QuotasMayBeSetOnlyByAWorkspaceAdminRule>(
            () => quota.Change(new Actor("ws_b", "usr_other", isWorkspaceAdmin: true), QuotaLimits.Create(1, 1, 1, 1), s_now));
    }

    [Fact]
    public void Quota_Change_ReplacesEveryLimit()
    {
        var quota = Quota.Create(s_admin, QuotaLevel.Workspace, "ws_a", QuotaLimits.Create(5, 10, 100, 1000), s_now);

        quota.Change(s_admin, QuotaLimits.Create(0, 20, 0, 0), s_now.AddHours(1));

        quota.Limits.Should().Be(QuotaLimits.Create(0, 20, 0, 0));
        quota.UpdatedAt.Should().Be(s_now.AddHours(1));
    }

    [Fact]
    public void Quota_ForTheWorkspace_MustNameTheAdminsWorkspace()
    {
        var create = () => Quota.Create(s_admin, QuotaLevel.Workspace, "ws_b", QuotaLimits.None, s_now);

        create.Should().Throw<ArgumentException>();
    }
}
