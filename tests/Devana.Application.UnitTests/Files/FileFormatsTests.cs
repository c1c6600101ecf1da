using Devana.Application.Files.Common;

namespace Devana.Application.UnitTests.Files;

public sealed class FileFormatsTests
{
    [Theory]
    [InlineData("a.txt", FileFormat.PlainText)]
    [InlineData("A.MD", FileFormat.Markdown)]
    [InlineData("a.csv", FileFormat.Csv)]
    [InlineData("a.json", FileFormat.Json)]
    [InlineData("a.xml", FileFormat.Xml)]
    [InlineData("a.htm", FileFormat.Html)]
    [InlineData("a.html", FileFormat.Html)]
    [InlineData("a.pdf", FileFormat.Pdf)]
    [InlineData("a.docx", FileFormat.Docx)]
    [InlineData("a.exe", null)]
    [InlineData("a.doc", null)]
    [InlineData("txt", null)]
    [InlineData("a.txt.png", null)]
    public void FromFileName_GoesByTheExtension(string name, FileFormat? expected) =>
        FileFormats.FromFileName(name).Should().Be(expected);

    [Theory]
    [InlineData(FileFormat.PlainText, "text/plain; charset=utf-8", "text/plain")]
    [InlineData(FileFormat.Markdown, "text/plain", "text/plain")]
    [InlineData(FileFormat.Markdown, null, "text/markdown")]
    [InlineData(FileFormat.Json, "application/octet-stream", "application/json")]
    [InlineData(FileFormat.Html, "TEXT/HTML", "text/html")]
    [InlineData(FileFormat.Pdf, "image/png", "application/pdf")]
    public void ContentTypeFor_KeepsAFittingDeclaredTypeElseUsesTheFormats(FileFormat format, string? declared, string expected) =>
        FileFormats.ContentTypeFor(format, declared).Should().Be(expected);
}
