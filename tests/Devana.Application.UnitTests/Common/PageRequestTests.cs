using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Paging;

namespace Devana.Application.UnitTests.Common;

public sealed class PageRequestTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-5)]
    public void Validate_WhenLimitIsOutOfRange_ThrowsNamingLimit(int limit)
    {
        var act = () => new PageRequest(limit, null).Validate();

        act.Should().Throw<BadRequestException>().Which.Param.Should().Be("limit");
    }

    [Fact]
    public void Validate_WhenNoLimit_DefaultsTo20()
    {
        var request = new PageRequest(null, null);

        request.Validate().Should().BeNull();
        request.EffectiveLimit.Should().Be(20);
    }

    [Fact]
    public void Cursor_RoundTrips()
    {
        var cursor = PageCursor.From(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero), "agt_abc");

        var decoded = new PageRequest(10, cursor.Encode()).Validate();

        decoded.Should().Be(cursor);
    }

    [Theory]
    [InlineData("not a cursor")]
    [InlineData("bm9jb2xvbg")]
    public void Validate_WhenCursorIsForged_ThrowsNamingAfter(string after)
    {
        var act = () => new PageRequest(10, after).Validate();

        act.Should().Throw<BadRequestException>().Which.Param.Should().Be("after");
    }

    [Fact]
    public void FromFetched_WhenOneMoreThanLimit_HasMoreWithCursorOfLastItem()
    {
        var items = new[] { ("c", 3L), ("b", 2L), ("a", 1L) };

        var page = ListResult<string>.FromFetched(items, 2, item => new PageCursor(item.Item2, item.Item1), item => item.Item1);

        page.Data.Should().Equal("c", "b");
        page.HasMore.Should().BeTrue();
        PageCursor.Decode(page.NextCursor!).Should().Be(new PageCursor(2, "b"));
    }
}
