using System.IO.Compression;
using System.Text;
using System.Diagnostics.Metrics;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Telemetry;
using Devana.Application.Files.Common;
using Devana.Infrastructure.Files;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using PageSize = UglyToad.PdfPig.Content.PageSize;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Devana.Infrastructure.IntegrationTests.Files;

public sealed class FileTextExtractorTests
{
    private static readonly ServiceProvider s_services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private static FileTextExtractor Extractor(int maxCharacters = 1_000_000, DevanaMetrics? metrics = null) =>
        new(Options.Create(new FilesOptions { MaxTextCharacters = maxCharacters }), metrics ?? new DevanaMetrics(s_services.GetRequiredService<IMeterFactory>()));

    [Fact]
    public async Task Extract_CountsEachExtraction_ByFormatAndOutcome_WithItsDuration()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var extractor = Extractor(metrics: new DevanaMetrics(meters));
        using var extractions = new MetricCollector<long>(meters, DevanaMetrics.MeterName, "devana.file.extractions");
        using var durations = new MetricCollector<double>(meters, DevanaMetrics.MeterName, "devana.file.extraction.duration");

        await extractor.ExtractAsync(new MemoryStream("{\"answer\": 42}"u8.ToArray()), FileFormat.Json, CancellationToken.None);
        var invalid = () => extractor.ExtractAsync(new MemoryStream("{\"answer\""u8.ToArray()), FileFormat.Json, CancellationToken.None);
        await invalid.Should().ThrowAsync<TextExtractionException>();

        extractions.GetMeasurementSnapshot().Select(m => (m.Value, m.Tags["format"], m.Tags["status"]))
            .Should().Equal((1L, "json", "ok"), (1L, "json", "failed"));
        durations.GetMeasurementSnapshot().Should().HaveCount(2).And.OnlyContain(m => m.Value >= 0 && (string?)m.Tags["format"] == "json");
    }

    private static Task<string> ExtractAsync(byte[] bytes, FileFormat format, int maxCharacters = 1_000_000) =>
        Extractor(maxCharacters).ExtractAsync(new MemoryStream(bytes), format, CancellationToken.None);

    [Theory]
    [InlineData(FileFormat.PlainText)]
    [InlineData(FileFormat.Markdown)]
    [InlineData(FileFormat.Csv)]
    public async Task Extract_TextFormats_AreKeptAsWrittenWithLfLineEndings(FileFormat format)
    {
        var text = await ExtractAsync(Encoding.UTF8.GetBytes("# Title\r\nname,role\r\nAda,Engineer\n"), format);

        text.Should().Be("# Title\nname,role\nAda,Engineer\n");
    }

    [Fact]
    public async Task Extract_Text_DecodesByBomElseUtf8ElseWindows1252()
    {
        (await ExtractAsync([0xEF, 0xBB, 0xBF, .. "café"u8], FileFormat.PlainText)).Should().Be("café");
        (await ExtractAsync([0xFF, 0xFE, .. Encoding.Unicode.GetBytes("café")], FileFormat.PlainText)).Should().Be("café");
        (await ExtractAsync([0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes("café")], FileFormat.PlainText)).Should().Be("café");
        (await ExtractAsync("café"u8.ToArray(), FileFormat.PlainText)).Should().Be("café");
        (await ExtractAsync([(byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)' ', 0x80], FileFormat.PlainText)).Should().Be("café €");
    }

    [Fact]
    public async Task Extract_Json_KeepsTheDocumentAndRefusesInvalidJson()
    {
        (await ExtractAsync("{\"answer\": 42}"u8.ToArray(), FileFormat.Json)).Should().Be("{\"answer\": 42}");

        var invalid = () => ExtractAsync("{\"answer\": 42"u8.ToArray(), FileFormat.Json);

        (await invalid.Should().ThrowAsync<TextExtractionException>()).WithMessage("The file is not valid JSON*");
    }

    [Fact]
    public async Task Extract_Xml_KeepsTheDocumentAndRefusesMalformedXml()
    {
        (await ExtractAsync("<note><to>Ada</to></note>"u8.ToArray(), FileFormat.Xml)).Should().Be("<note><to>Ada</to></note>");

        var malformed = () => ExtractAsync("<note><to>Ada</note>"u8.ToArray(), FileFormat.Xml);

        (await malformed.Should().ThrowAsync<TextExtractionException>()).WithMessage("The file is not well-formed XML*");
    }

    [Fact]
    public async Task Extract_Xml_NeverResolvesExternalEntities()
    {
        var xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><r>&xxe;</r>"u8.ToArray();

        var extract = () => ExtractAsync(xxe, FileFormat.Xml);

        (await extract.Should().ThrowAsync<TextExtractionException>()).Which.Message.Should().NotContain("root:");
    }

    [Fact]
    public async Task Extract_Html_KeepsTheVisibleText()
    {
        var text = await ExtractAsync("<html><head><script>secret()</script></head><body><p>Hello <b>world</b></p></body></html>"u8.ToArray(), FileFormat.Html);

        text.Should().Be("Hello world");
    }

    [Fact]
    public async Task Extract_Pdf_ReadsEveryPageInOrder()
    {
        var text = await ExtractAsync(SamplePdf(["Quarterly report", "Revenue grew by 12 percent."], ["Second page text."]), FileFormat.Pdf);

        text.Should().ContainAll("Quarterly report", "Revenue grew by 12 percent.", "Second page text.");
        text.IndexOf("Revenue", StringComparison.Ordinal).Should().BeLessThan(text.IndexOf("Second page", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Extract_Pdf_WhenCorrupt_SaysWhy()
    {
        var extract = () => ExtractAsync("%PDF-1.7\nthis is not really a PDF at all"u8.ToArray(), FileFormat.Pdf);

        (await extract.Should().ThrowAsync<TextExtractionException>()).WithMessage("The file could not be read as a PDF document*");
    }

    [Fact]
    public async Task Extract_Docx_ReadsParagraphsTabsAndTablesAndSkipsDeletions()
    {
        var text = await ExtractAsync(SampleDocx(), FileFormat.Docx);

        text.Should().Be("Project Bluebird\nBudget:\t42 000 EUR\nKept text\nName | Role\nAda | Engineer");
    }

    [Fact]
    public async Task Extract_Docx_WhenZipIsNotAWordDocument_IsTheWrongType()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var writer = new StreamWriter(zip.CreateEntry("readme.txt").Open());
            await writer.WriteAsync("just a zip");
        }

        var extract = () => ExtractAsync(buffer.ToArray(), FileFormat.Docx);

        await extract.Should().ThrowAsync<UnsupportedFileTypeException>();
    }

    [Fact]
    public async Task Extract_Docx_WhenZipIsCorrupt_SaysWhy()
    {
        var extract = () => ExtractAsync([0x50, 0x4B, 0x03, 0x04, .. "garbage that is no zip"u8], FileFormat.Docx);

        (await extract.Should().ThrowAsync<TextExtractionException>()).WithMessage("The file could not be read as a Word (.docx) document*");
    }

    [Fact]
    public async Task Extract_WhenTextIsOverTheLimit_SaysSo()
    {
        var extract = () => ExtractAsync(Encoding.UTF8.GetBytes(new string('a', 101)), FileFormat.PlainText, maxCharacters: 100);

        (await extract.Should().ThrowAsync<TextExtractionException>()).WithMessage("*more than 100 characters*");
    }

    /// <summary>A real PDF, written with PdfPig's builder: one page per line list.</summary>
    public static byte[] SamplePdf(params string[][] pages)
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var lines in pages)
        {
            var page = builder.AddPage(PageSize.A4);
            var y = 780.0;
            foreach (var line in lines)
            {
                page.AddText(line, 12, new PdfPoint(50, y), font);
                y -= 20;
            }
        }

        return builder.Build();
    }

    /// <summary>A real DOCX, written with the Open XML SDK.</summary>
    public static byte[] SampleDocx()
    {
        using var buffer = new MemoryStream();
        using (var document = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(
                new Paragraph(new Run(new Text("Project Bluebird"))),
                new Paragraph(new Run(new Text("Budget:")), new Run(new TabChar()), new Run(new Text("42 000 EUR"))),
                new Paragraph(new Run(new Text("Kept ") { Space = SpaceProcessingModeValues.Preserve }), new DeletedRun(new Run(new DeletedText("Removed "))), new Run(new Text("text"))),
                new Table(
                    new TableRow(Cell("Name"), Cell("Role")),
                    new TableRow(Cell("Ada"), Cell("Engineer")))));
        }

        return buffer.ToArray();

        static TableCell Cell(string text) => new(new Paragraph(new Run(new Text(text))));
    }
}
