using Devana.Domain.Quotas;

namespace Devana.Domain.UnitTests.Quotas;

public sealed class QuotaHoldTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 30, TimeSpan.Zero);

    private static readonly QuotaHoldSubject Subject = new("ws_a", "usr_a", "support", "echo", "conv_a", "msg_a", "end-user", 40);

    private static IReadOnlyList<QuotaCharge> Charges(long tokens) =>
        QuotaPolicy.ForCompletion("ws_a", QuotaLimits.Create(0, 10, 1000, 0), "usr_a", null, "support", null).Reserve(tokens, Now);

    [Fact]
    public void Take_KeepsTheTokenChargesOnly_AndExpiresAfterTheExpiry()
    {
        var hold = QuotaHold.Take(Subject, "host/1/abc", Charges(300), Now, TimeSpan.FromSeconds(120));

        hold.Id.Should().Be(QuotaHold.IdFor("msg_a"));
        hold.TokenCharges.Should().HaveCount(6).And.OnlyContain(c => c.Metric == QuotaMetric.Tokens && c.Amount == 300);
        hold.ExpiresAt.Should().Be(Now.AddSeconds(120));
        hold.PromptTokens.Should().Be(40);
        hold.CompletionTokens.Should().Be(0);
        hold.IsExpired(Now.AddSeconds(119)).Should().BeFalse();
        hold.IsExpired(Now.AddSeconds(120)).Should().BeTrue();
    }

    [Fact]
    public void Settlement_CorrectsEachTokenChargeToWhatWasReported()
    {
        var hold = QuotaHold.Take(Subject, "host/1/abc", Charges(300), Now, TimeSpan.FromSeconds(120));

        var settlement = hold.Settlement();

        settlement.Should().HaveCount(6).And.OnlyContain(c => c.Amount == 40 - 300, "the prompt's 40 tokens stay counted, the rest of the 300 comes back");
    }

    [Fact]
    public void Take_WithANonPositiveExpiry_Throws()
    {
        var take = () => QuotaHold.Take(Subject, "host/1/abc", Charges(300), Now, TimeSpan.Zero);

        take.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData("", "usr_a", 0)]
    [InlineData("ws_a", " ", 0)]
    [InlineData("ws_a", "usr_a", -1)]
    public void Subject_WithAMissingPartOrNegativePrompt_Throws(string workspaceId, string principalId, long prompt)
    {
        var create = () => new QuotaHoldSubject(workspaceId, principalId, "support", "echo", "conv_a", "msg_a", null, prompt);

        create.Should().Throw<ArgumentException>();
    }
}
