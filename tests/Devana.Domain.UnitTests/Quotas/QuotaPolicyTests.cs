using Devana.Domain.Quotas;
using Microsoft.Extensions.Time.Testing;

namespace Devana.Domain.UnitTests.Quotas;

public sealed class QuotaPolicyTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 30, TimeSpan.Zero));

    private static QuotaPolicy Policy(QuotaLimits? workspace = null, QuotaLimits? principal = null, QuotaLimits? agent = null) =>
        QuotaPolicy.ForCompletion("ws_a", workspace ?? QuotaLimits.None, "usr_bob", principal, "support", agent);

    private static long[] Zeros(int count) => new long[count];

    [Fact]
    public void TokensToReserve_IsPromptPlusMaxTokens_TimesN() =>
        QuotaPolicy.TokensToReserve(promptTokens: 40, maxTokens: 100, choices: 3).Should().Be(420);

    [Fact]
    public void Reserve_ChargesEveryLevelAndLimit_InTheCurrentWindows()
    {
        var charges = Policy().Reserve(140, _clock.GetUtcNow());

        charges.Should().HaveCount(12);
        charges.Select(c => (c.Level, c.Key.SubjectId)).Distinct().Should().Equal(
            (QuotaLevel.Workspace, "ws_a"), (QuotaLevel.Principal, "usr_bob"), (QuotaLevel.Agent, "support"));
        charges.Where(c => c.Metric == QuotaMetric.Requests).Should().OnlyContain(c => c.Amount == 1);
        charges.Where(c => c.Metric == QuotaMetric.Tokens).Should().OnlyContain(c => c.Amount == 140);
        charges.Should().OnlyContain(c => c.Key.WorkspaceId == "ws_a");
        var minute = charges.First(c => c.Kind == QuotaLimitKind.RequestsPerMinute);
        minute.Key.WindowStart.Should().Be(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        minute.ResetsAt.Should().Be(new DateTimeOffset(2026, 11, 25, 10, 1, 0, TimeSpan.Zero));
        charges.First(c => c.Kind == QuotaLimitKind.TokensPerMonth).ResetsAt.Should().Be(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Reserve_WithoutStoredQuotas_ChargesWithoutLimits()
    {
        var charges = Policy().Reserve(10, _clock.GetUtcNow());

        charges.Should().OnlyContain(c => !c.IsLimited);
        QuotaPolicy.FirstBreach(charges, charges.Select(_ => long.MaxValue / 2).ToList()).Should().BeNull("no limit applies");
    }

    [Fact]
    public void FirstBreach_AtTheLimit_AdmitsTheLastRequestAndRefusesTheNext()
    {
        var charges = Policy(principal: QuotaLimits.Create(5, 0, 0, 0)).Reserve(0, _clock.GetUtcNow());
        var index = charges.ToList().FindIndex(c => c.Level == QuotaLevel.Principal && c.Kind == QuotaLimitKind.RequestsPerMinute);
        var used = Zeros(charges.Count);

        used[index] = 4;
        QuotaPolicy.FirstBreach(charges, used).Should().BeNull("the 5th request fits a limit of 5");

        used[index] = 5;
        var breach = QuotaPolicy.FirstBreach(charges, used);

        breach.Should().NotBeNull();
        breach!.Charge.Kind.Should().Be(QuotaLimitKind.RequestsPerMinute);
        breach.Charge.Level.Should().Be(QuotaLevel.Principal);
        breach.Message.Should().Contain("requests_per_minute").And.Contain("usr_bob").And.Contain("2026-11-25T10:01:00Z");
    }

    [Fact]
    public void FirstBreach_TokensThatWouldGoOver_RefusesEvenWhenSomeAreLeft()
    {
        var charges = Policy(workspace: QuotaLimits.Create(0, 0, 1000, 0)).Reserve(150, _clock.GetUtcNow());
        var index = charges.ToList().FindIndex(c => c.Level == QuotaLevel.Workspace && c.Kind == QuotaLimitKind.TokensPerDay);
        var used = Zeros(charges.Count);
        used[index] = 900;

        var breach = QuotaPolicy.FirstBreach(charges, used);

        breach!.Charge.Kind.Should().Be(QuotaLimitKind.TokensPerDay);
        breach.Message.Should().Contain("tokens_per_day of the workspace quota (ws_a) is 1000")
            .And.Contain("900 tokens").And.Contain("reserves 150")
            .And.Contain("2026-11-26T00:00:00Z");
    }

    [Fact]
    public void FirstBreach_ARequestLargerThanTheLimit_SaysToLowerMaxTokens()
    {
        var charges = Policy(agent: QuotaLimits.Create(0, 0, 100, 0)).Reserve(150, _clock.GetUtcNow());

        var breach = QuotaPolicy.FirstBreach(charges, Zeros(charges.Count));

        breach!.Charge.Level.Should().Be(QuotaLevel.Agent);
        breach.Message.Should().Contain("alone reserves 150").And.Contain("max_tokens").And.Contain("agent quota of support");
    }

    [Fact]
    public void FirstBreach_MonthlyLimit_ResetsOnTheFirstOfNextMonth()
    {
        _clock.SetUtcNow(new DateTimeOffset(2028, 2, 29, 18, 0, 0, TimeSpan.Zero));
        var charges = Policy(principal: QuotaLimits.Create(0, 0, 0, 10)).Reserve(11, _clock.GetUtcNow());

        QuotaPolicy.FirstBreach(charges, Zeros(charges.Count))!.ResetsAtText.Should().Be("2028-03-01T00:00:00Z");
    }

    [Fact]
    public void Reserve_AfterTheMinute_ChargesANewWindow()
    {
        var policy = Policy(principal: QuotaLimits.Create(5, 0, 0, 0));
        var first = policy.Reserve(0, _clock.GetUtcNow()).First(c => c.Kind == QuotaLimitKind.RequestsPerMinute);

        _clock.Advance(TimeSpan.FromSeconds(30));
        var second = policy.Reserve(0, _clock.GetUtcNow()).First(c => c.Kind == QuotaLimitKind.RequestsPerMinute);

        second.Key.Should().NotBe(first.Key, "10:01:00 starts a new minute with its own counter");
        second.Key.WindowStart.Should().Be(first.ResetsAt);
    }

    [Fact]
    public void Settle_UsingLessThanReserved_RefundsTheDifferenceOnTokenCountersOnly()
    {
        var reserved = Policy().Reserve(300, _clock.GetUtcNow());

        var settlement = QuotaPolicy.Settle(reserved, actualTokens: 120);

        settlement.Should().HaveCount(6, "two token limits at three levels");
        settlement.Should().OnlyContain(c => c.Metric == QuotaMetric.Tokens && c.Amount == -180);
        settlement.Select(c => c.Key).Should().BeSubsetOf(reserved.Select(c => c.Key), "a settlement corrects the windows it reserved in");
    }

    [Fact]
    public void Settle_AFailureBeforeAnyOutput_RefundsEveryTokenAndKeepsTheRequest()
    {
        var reserved = Policy().Reserve(300, _clock.GetUtcNow());

        var settlement = QuotaPolicy.Settle(reserved, actualTokens: 0);

        settlement.Should().OnlyContain(c => c.Amount == -300);
        settlement.Should().NotContain(c => c.Metric == QuotaMetric.Requests);
    }

    [Fact]
    public void Settle_UsingExactlyWhatWasReserved_ChangesNothing() =>
        QuotaPolicy.Settle(Policy().Reserve(300, _clock.GetUtcNow()), 300).Should().BeEmpty();

    [Fact]
    public void Settle_AfterMidnight_StillCorrectsTheDayItReservedIn()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 23, 59, 59, TimeSpan.Zero));
        var reserved = Policy().Reserve(300, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(2));

        var settlement = QuotaPolicy.Settle(reserved, 100);

        settlement.Where(c => c.Kind == QuotaLimitKind.TokensPerDay)
            .Should().OnlyContain(c => c.Key.WindowStart == new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Tightest_PicksTheLimitWithTheLeastLeft_PerMetric()
    {
        var charges = Policy(workspace: QuotaLimits.Create(100, 1000, 50_000, 0), principal: QuotaLimits.Create(5, 0, 0, 20_000))
            .Reserve(200, _clock.GetUtcNow());
        var used = charges.Select(c => c.Amount).ToArray();
        var principalTokensPerMonth = charges.ToList().FindIndex(c => c.Level == QuotaLevel.Principal && c.Kind == QuotaLimitKind.TokensPerMonth);
        used[principalTokensPerMonth] = 19_000;

        var requests = QuotaPolicy.Tightest(charges, used, QuotaMetric.Requests, _clock.GetUtcNow());
        var tokens = QuotaPolicy.Tightest(charges, used, QuotaMetric.Tokens, _clock.GetUtcNow());

        requests.Should().Be(new RateLimitStatus(5, 4, TimeSpan.FromSeconds(30)));
        tokens!.Limit.Should().Be(20_000);
        tokens.Remaining.Should().Be(1000);
        tokens.ResetsIn.Should().Be(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) - _clock.GetUtcNow());
    }

    [Fact]
    public void Tightest_WithoutALimitOfThatMetric_IsNull()
    {
        var charges = Policy(principal: QuotaLimits.Create(5, 0, 0, 0)).Reserve(200, _clock.GetUtcNow());

        QuotaPolicy.Tightest(charges, Zeros(charges.Count), QuotaMetric.Tokens, _clock.GetUtcNow()).Should().BeNull();
    }
}
