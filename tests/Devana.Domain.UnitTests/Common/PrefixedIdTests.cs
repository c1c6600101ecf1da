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
    public void New_WithEmptyPrefix_Throws()
    {
        var act = () => PrefixedId.New(" ");

        act.Should().Throw<ArgumentException>();
    }
}
