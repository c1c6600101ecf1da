using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Telemetry;
using Devana.Application.Files.Common;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.Options;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Exceptions;

namespace Devana.Infrastructure.Files;

/// <summary>
/// Extracts text per <see cref="FileFormat"/>: text formats are decoded (JSON and XML must also parse, and
/// keep their markup, which carries meaning); HTML keeps only its visible text; PDF text comes from PdfPig in
/// content order, page by page; DOCX text from the Open XML SDK, paragraph by paragraph, tables row by row.
/// Any failure of a parser becomes a <see cref="TextExtractionException"/> that says why.
/// </summary>
internal sealed class FileTextExtractor(IOptions<FilesOptions> options, DevanaMetrics metrics) : IFileTextExtractor
{
    private const string WordMainContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    private const string WordMacroMainContentType = "application/vnd.ms-word.document.macroEnabled.main+xml";
    private const string WordTemplateMainContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml";

    private readonly int _maxCharacters = options.Value.MaxTextCharacters;

    public async Task<string> ExtractAsync(Stream content, FileFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Not a file format.");
        }

        var started = Stopwatch.GetTimestamp();
        var succeeded = false;
        try
        {
            var text = format switch
            {
                FileFormat.PlainText or FileFormat.Markdown or FileFormat.Csv => await ReadTextAsync(content, cancellationToken),
                FileFormat.Json => Json(await ReadTextAsync(content, cancellationToken)),
                FileFormat.Xml => Xml(await ReadTextAsync(content, cancellationToken)),
                FileFormat.Html => HtmlText.ToText(await ReadTextAsync(content, cancellationToken)),
                FileFormat.Pdf => Pdf(content, cancellationToken),
                FileFormat.Docx => Docx(content, cancellationToken),
                _ => throw new UnreachableException(),
            };
            var limited = Limit(text);
            succeeded = true;
            return limited;
        }
        catch (Exception exception) when (exception is not (TextExtractionException or UnsupportedFileTypeException or OperationCanceledException or OutOfMemoryException))
        {
            throw new TextExtractionException($"The file could not be read as {FileFormats.Describe(format)}: {exception.Message}", exception);
        }
        finally
        {
            metrics.FileExtracted(format, succeeded, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<string> ReadTextAsync(Stream content, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        return Limit(TextDecoding.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    private static string Json(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        }
        catch (JsonException exception)
        {
            throw new TextExtractionException($"The file is not valid JSON: {exception.Message}", exception);
        }

        return text;
    }

    private static string Xml(string text)
    {
        // No DTD processing and no resolver: external entities (XXE) are never fetched.
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, MaxCharactersFromEntities = 1024 * 1024 };
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            while (reader.Read())
            {
            }
        }
        catch (XmlException exception)
        {
            throw new TextExtractionException($"The file is not well-formed XML: {exception.Message}", exception);
        }

        return text;
    }

    private string Pdf(Stream content, CancellationToken cancellationToken)
    {
        try
        {
            using var document = PdfDocument.Open(content, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
            var builder = new StringBuilder();
            foreach (var page in document.GetPages())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var pageText = ContentOrderTextExtractor.GetText(page, new ContentOrderTextExtractor.Options { SeparateParagraphsWithDoubleNewline = true }).Trim();
                if (pageText.Length > 0)
                {
                    builder.Append(TextDecoding.NormalizeLineEndings(pageText)).Append("\n\n");
                    Limit(builder);
                }
            }

            return builder.ToString().TrimEnd();
        }
        catch (PdfDocumentEncryptedException exception)
        {
            throw new TextExtractionException("The PDF is encrypted (password protected); its text cannot be read.", exception);
        }
    }

    private string Docx(Stream content, CancellationToken cancellationToken)
    {
        EnsureWordPackage(content);
        content.Position = 0;
        var settings = new OpenSettings { MaxCharactersInPart = Math.Max(1L << 20, _maxCharacters * 20L) };
        using var document = WordprocessingDocument.Open(content, false, settings);
        var body = document.MainDocumentPart?.Document?.Body
            ?? throw new TextExtractionException("The Word document has no body.");
        var builder = new StringBuilder();
        Walk(body, builder, cancellationToken);
        return TextDecoding.NormalizeLineEndings(builder.ToString()).Trim();
    }

    /// <summary>A ZIP that is no Word document (a renamed .xlsx or plain archive) is the wrong type (415), not a broken file.</summary>
    private static void EnsureWordPackage(Stream content)
    {
        string contentTypes;
        using (var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true))
        {
            var entry = zip.GetEntry("[Content_Types].xml");
            if (entry is null || entry.Length > 1024 * 1024)
            {
                throw new UnsupportedFileTypeException("The file is a ZIP archive but not a Word (.docx) document: it has no Open XML content types.");
            }

            using var reader = new StreamReader(entry.Open());
            contentTypes = reader.ReadToEnd();
        }

        if (!contentTypes.Contains(WordMainContentType, StringComparison.OrdinalIgnoreCase)
            && !contentTypes.Contains(WordMacroMainContentType, StringComparison.OrdinalIgnoreCase)
            && !contentTypes.Contains(WordTemplateMainContentType, StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedFileTypeException("The file is an Open XML package but not a Word (.docx) document.");
        }
    }

    private void Walk(OpenXmlElement element, StringBuilder builder, CancellationToken cancellationToken)
    {
        switch (element)
        {
            case Text text:
                builder.Append(text.Text);
                return;
            case TabChar or PositionalTab:
                builder.Append('\t');
                return;
            case Break or CarriageReturn:
                builder.Append('\n');
                return;
            case NoBreakHyphen:
                builder.Append('-');
                return;
            case AlternateContentFallback:
                // The same content as the Choice beside it, for older readers.
                return;
            case Paragraph:
                WalkChildren(element, builder, cancellationToken);
                builder.Append('\n');
                Limit(builder);
                return;
            case TableRow row:
                var cells = new List<string>();
                foreach (var cell in row.Elements<TableCell>())
                {
                    var cellText = new StringBuilder();
                    WalkChildren(cell, cellText, cancellationToken);
                    cells.Add(string.Join(' ', cellText.ToString().Split(['\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
                }

                builder.Append(string.Join(" | ", cells)).Append('\n');
                Limit(builder);
                return;
            default:
                WalkChildren(element, builder, cancellationToken);
                return;
        }
    }

    private void WalkChildren(OpenXmlElement element, StringBuilder builder, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var child in element.ChildElements)
        {
            Walk(child, builder, cancellationToken);
        }
    }

    private string Limit(string text) =>
        text.Length > _maxCharacters ? throw TooMuchText() : text;

    private void Limit(StringBuilder builder)
    {
        if (builder.Length > _maxCharacters)
        {
            throw TooMuchText();
        }
    }

    private TextExtractionException TooMuchText() =>
        new($"The file holds more than {_maxCharacters} characters of text, the most one file may have.");
}
