using Devana.Domain.Common;
using Devana.Domain.Users;
using Devana.Domain.Users.Rules;
using static Devana.Domain.UnitTests.Common.RuleAssertions;

namespace Devana.Domain.UnitTests.Users;

public sealed class UserTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly LockoutPolicy s_policy = new(3, TimeSpan.FromMinutes(10));

    private static User NewUser(UserRole role = UserRole.Member) => User.Register("ws_1", " Ada@Example.COM ", "Ada", role, s_now);

    [Fact]
    public void Register_TrimsEmailAndNormalizesItForLookup()
    {
        var user = NewUser();

        user.Id.Should().MatchRegex("^usr_[0-9a-z]{24}$");
        user.Email.Should().Be("Ada@Example.COM");
        user.NormalizedEmail.Should().Be("ada@example.com");
        user.WorkspaceId.Should().Be("ws_1");
        user.PasswordHash.Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-at-sign")]
    [InlineData("a@b")]
    [InlineData("@example.com")]
    [InlineData("a@@example.com")]
    [InlineData("a b@example.com")]
    public void Register_WhenEmailIsInvalid_BreaksUserEmailMustBeValidRule(string email)
    {
        var rule = AssertBrokenRule<UserEmailMustBeValidRule>(() => User.Register("ws_1", email, null, UserRole.Member, s_now));

        rule.Param.Should().Be("email");
    }

    [Fact]
    public void Register_WhenNameIsBlank_KeepsNoName()
    {
        User.Register("ws_1", "a@example.com", "  ", UserRole.Member, s_now).Name.Should().BeNull();
    }

    [Fact]
    public void Register_WhenRoleIsUndefined_BreaksUserRoleMustBeDefinedRule()
    {
        AssertBrokenRule<UserRoleMustBeDefinedRule>(() => User.Register("ws_1", "a@example.com", null, (UserRole)42, s_now));
    }

    [Theory]
    [InlineData(UserRole.Owner, true)]
    [InlineData(UserRole.Admin, true)]
    [InlineData(UserRole.Member, false)]
    public void IsWorkspaceAdmin_FollowsTheRole(UserRole role, bool expected)
    {
        NewUser(role).IsWorkspaceAdmin.Should().Be(expected);
    }

    [Fact]
    public void AddToWorkspace_WhenAnAdminAppointsAnOwner_BreaksOnlyOwnersMayAppointOwnersRule()
    {
        var rule = AssertBrokenRule<OnlyOwnersMayAppointOwnersRule>(() => User.AddToWorkspace("ws_1", "a@example.com", null, UserRole.Owner, addedByOwner: false, s_now));

        ((IBusinessRule)rule).Kind.Should().Be(RuleViolationKind.AccessDenied);
    }

    [Fact]
    public void AddToWorkspace_WhenAnOwnerAppointsAnOwner_Succeeds()
    {
        User.AddToWorkspace("ws_1", "a@example.com", null, UserRole.Owner, addedByOwner: true, s_now).Role.Should().Be(UserRole.Owner);
    }

    [Fact]
    public void RecordFailedSignIn_BelowTheLimit_CountsWithoutLocking()
    {
        var user = NewUser();

        user.RecordFailedSignIn(s_now, s_policy);
        user.RecordFailedSignIn(s_now, s_policy);

        user.AccessFailedCount.Should().Be(2);
        user.IsLockedOut(s_now).Should().BeFalse();
    }

    [Fact]
    public void RecordFailedSignIn_AtTheLimit_LocksForThePolicyDurationAndRestartsTheCount()
    {
        var user = NewUser();

        for (var i = 0; i < 3; i++)
        {
            user.RecordFailedSignIn(s_now, s_policy);
        }

        user.IsLockedOut(s_now).Should().BeTrue();
        user.IsLockedOut(s_now.AddMinutes(9)).Should().BeTrue();
        user.IsLockedOut(s_now.AddMinutes(10)).Should().BeFalse();
        user.AccessFailedCount.Should().Be(0);
    }

    [Fact]
    public void RecordFailedSignIn_WhileLocked_DoesNotExtendTheLockout()
    {
        var user = NewUser();
        for (var i = 0; i < 3; i++)
        {
            user.RecordFailedSignIn(s_now, s_policy);
        }

        user.RecordFailedSignIn(s_now.AddMinutes(5), s_policy);

        user.LockoutEnd.Should().Be(s_now.AddMinutes(10));
    }

    [Fact]
    public void RecordSuccessfulSignIn_ClearsCountAndLockout()
    {
        var user = NewUser();
        user.RecordFailedSignIn(s_now, s_policy);

        user.RecordSuccessfulSignIn();

        user.AccessFailedCount.Should().Be(0);
        user.LockoutEnd.Should().BeNull();
    }
}
