using System.Text;
using Devana.Application.Common.Exceptions;
using Devana.Application.Files.Common;

namespace Devana.Application.UnitTests.Files;

public sealed class FileSnifferTests
{
    private static readonly byte[] s_png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
    private static readonly byte[] s_zip = [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0];
    private static readonly byte[] s_elf = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0, 0, 0, 0, 0];
    private static readonly byte[] s_exe = [0x4D, 0x5A, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF];

    private static Action Sniff(FileFormat format, byte[] head) => () => FileSniffer.EnsureMatches(format, head, "x");

    public static TheoryData<string, byte[]> BinaryHeads => new()
    {
        { "PNG", s_png },
        { "ZIP", s_zip },
        { "ELF", s_elf },
        { "Windows executable", s_exe },
        { "PDF", Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n") },
        { "gzip", [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0] },
        { "JPEG", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10] },
        { "bytes with NULs", [(byte)'a', 0, (byte)'b', 0, (byte)'c'] },
        { "control bytes", Enumerable.Range(1, 100).Select(i => (byte)(i % 8 + 1)).ToArray() },
    };

    [Theory]
    [MemberData(nameof(BinaryHeads))]
    public void EnsureMatches_WhenTextFileHoldsBinary_ThrowsUnsupportedFileType(string kind, byte[] head)
    {
        foreach (var format in new[] { FileFormat.PlainText, FileFormat.Markdown, FileFormat.Csv, FileFormat.Json, FileFormat.Xml, FileFormat.Html })
        {
            Sniff(format, head).Should().Throw<UnsupportedFileTypeException>(kind).Which.Code.Should().Be(ErrorCodes.UnsupportedFileType);
        }
    }

    [Theory]
    [InlineData("plain words, and more words.\nSecond line\twith a tab.")]
    [InlineData("MZ is also how this sentence starts.")]
    [InlineData("ID3 tags are described below.")]
    [InlineData("{\"a\": 1}")]
    [InlineData("<html><body>café</body></html>")]
    public void EnsureMatches_WhenTextFileHoldsText_Passes(string text)
    {
        Sniff(FileFormat.PlainText, Encoding.UTF8.GetBytes(text)).Should().NotThrow();
    }

    [Fact]
    public void EnsureMatches_WhenTextIsUtf16WithBom_Passes()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("hello world")).ToArray();

        Sniff(FileFormat.PlainText, bytes).Should().NotThrow();
    }

    [Fact]
    public void EnsureMatches_WhenPdfDoesNotStartWithPdfMarker_Throws()
    {
        Sniff(FileFormat.Pdf, Encoding.ASCII.GetBytes("hello, I am not a PDF")).Should().Throw<UnsupportedFileTypeException>().WithMessage("*%PDF-*");
        Sniff(FileFormat.Pdf, s_png).Should().Throw<UnsupportedFileTypeException>().WithMessage("*PNG*");
        Sniff(FileFormat.Pdf, Encoding.ASCII.GetBytes("%PDF-1.4\n")).Should().NotThrow();
    }

    [Fact]
    public void EnsureMatches_WhenDocxIsNotAZip_Throws()
    {
        Sniff(FileFormat.Docx, Encoding.ASCII.GetBytes("plain text")).Should().Throw<UnsupportedFileTypeException>().WithMessage("*ZIP*");
        Sniff(FileFormat.Docx, s_zip).Should().NotThrow();
    }
}
