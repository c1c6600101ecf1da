using Devana.Application.Quotas.Common;

namespace Devana.Application.UnitTests.Quotas;

public sealed class ResetDurationTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(0.2, "1s")]
    [InlineData(12, "12s")]
    [InlineData(59.5, "1m0s")]
    [InlineData(60, "1m0s")]
    [InlineData(61, "1m1s")]
    [InlineData(3600, "1h0m0s")]
    [InlineData(10921, "3h2m1s")]
    [InlineData(-5, "0s")]
    public void Format_WritesHoursMinutesSeconds_LikeOpenAi(double seconds, string expected) =>
        ResetDuration.Format(TimeSpan.FromSeconds(seconds)).Should().Be(expected);

    [Fact]
    public void Format_AMonthlyWindow_CountsInHours() =>
        ResetDuration.Format(TimeSpan.FromDays(17) + TimeSpan.FromMinutes(3)).Should().Be("408h3m0s");
}
