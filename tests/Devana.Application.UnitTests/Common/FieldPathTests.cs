using Devana.Application.Common.Exceptions;

namespace Devana.Application.UnitTests.Common;

public sealed class FieldPathTests
{
    [Theory]
    [InlineData("Temperature", "temperature")]
    [InlineData("MaxTokens", "max_tokens")]
    [InlineData("Messages[2].Role", "messages[2].role")]
    [InlineData("StreamOptions.IncludeUsage", "stream_options.include_usage")]
    [InlineData("", "")]
    public void ToSnakeCase_TurnsDotNetPathsIntoWirePaths(string path, string expected)
    {
        FieldPath.ToSnakeCase(path).Should().Be(expected);
    }
}
