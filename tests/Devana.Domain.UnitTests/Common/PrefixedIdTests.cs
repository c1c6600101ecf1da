using Devana.Domain.Common;

namespace Devana.Domain.UnitTests.Common;

public sealed class PrefixedIdTests
{
    [Fact]
    public void New_WithPrefix_ReturnsPrefixUnderscoreAnd24LowercaseAlphanumerics()
    {
        var id = PrefixedId.New(IdPrefixes.Agent);

        id.Should().MatchRegex("^agt_[0-9a-z]{24}$");
    }

    [Fact]
    public void New_CalledManyTimes_NeverRepeats()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => PrefixedId.New("conv")).ToHashSet();

        ids.Should().HaveCount(10_000);
    }

    [Fact]
    public void New_InTheSameMillisecond_DiffersInItsRandomPart()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123);

        var ids = Enumerable.Range(0, 1_000).Select(_ => PrefixedId.New("msg", now)).ToList();

        ids.Select(id => id[..13]).Should().AllBe(ids[0][..13], "the time part is the same");
        ids.Select(id => id[13..]).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void New_StartsWithTheTimeInBase36()
    {
        // 1,764,000,000,123 ms is "midc1z7f" in base 36: nine digits with the leading zero.
        var id = PrefixedId.New("msg", DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123));

        id.Should().StartWith("msg_0midc1z7f");
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1_764_000_000_000, 1_764_000_000_001)]
    [InlineData(1_764_000_000_035, 1_764_000_000_036)]
    [InlineData(1_764_000_000_999, 1_764_000_001_000)]
    [InlineData(1_764_000_000_000, 4_102_444_800_000)]
    public void New_MadeLater_SortsAfter_InOrdinalOrder(long earlier, long later)
    {
        var first = PrefixedId.New("conv", DateTimeOffset.FromUnixTimeMilliseconds(earlier));
        var second = PrefixedId.New("conv", DateTimeOffset.FromUnixTimeMilliseconds(later));

        string.CompareOrdinal(first, second).Should().BeNegative();
    }

    [Fact]
    public void New_BeforeTheUnixEpoch_Throws()
    {
        var act = () => PrefixedId.New("conv", DateTimeOffset.UnixEpoch.AddMilliseconds(-1));

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void New_WhenNineDigitsCanNoLongerHoldTheTime_Throws_RatherThanWrapAround()
    {
        var last = DateTimeOffset.FromUnixTimeMilliseconds(101_559_956_668_415);

        PrefixedId.New("conv", last).Should().StartWith("conv_zzzzzzzzz");
        var act = () => PrefixedId.New("conv", last.AddMilliseconds(1));

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void New_WithEmptyPrefix_Throws()
    {
        var act = () => PrefixedId.New(" ");

        act.Should().Throw<ArgumentException>();
    }
}
