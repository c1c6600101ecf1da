using Devana.Application.Files.Common;

namespace Devana.Application.UnitTests.Files;

public sealed class FileNamesTests
{
    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("../../etc/passwd.txt", "passwd.txt")]
    [InlineData("C:\\Users\\me\\Documents\\plan.docx", "plan.docx")]
    [InlineData("a\u0000b\u0007c\r\n.txt", "abc.txt")]
    [InlineData("evil\u202Etxt.exe.md", "eviltxt.exe.md")]
    [InlineData("zero\u200Bwidth.md", "zerowidth.md")]
    [InlineData("what?:*|<>\".csv", "what_______.csv")]
    [InlineData("  spaced  name.txt . ", "spaced  name.txt")]
    [InlineData("résumé.txt", "résumé.txt")]
    [InlineData("../", "")]
    [InlineData("..", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Sanitize_RemovesPathsControlsAndUnsafeCharacters(string? raw, string expected) =>
        FileNames.Sanitize(raw).Should().Be(expected);

    [Fact]
    public void Sanitize_NormalisesToFormC()
    {
        var decomposed = "re\u0301sume\u0301.txt";

        FileNames.Sanitize(decomposed).Should().Be("r\u00e9sum\u00e9.txt");
    }

    [Fact]
    public void Sanitize_WhenTooLong_CutsTheStemAndKeepsTheExtension()
    {
        var name = FileNames.Sanitize(new string('a', 400) + ".pdf");

        name.Should().HaveLength(255).And.EndWith("a.pdf");
    }

    [Fact]
    public void Sanitize_DoesNotSplitASurrogatePair()
    {
        var name = FileNames.Sanitize(new string('a', 250) + "😀😀😀😀.txt");

        name.Length.Should().BeLessThanOrEqualTo(255);
        name.Should().EndWith(".txt");
        name.Where(char.IsHighSurrogate).Count().Should().Be(name.Count(char.IsLowSurrogate));
    }
}
