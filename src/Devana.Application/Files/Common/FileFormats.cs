namespace Devana.Application.Files.Common;

/// <summary>Which extensions are accepted, as which <see cref="FileFormat"/>, and the content type each is served with.</summary>
public static class FileFormats
{
    public const string SupportedList = "txt, md, csv, json, xml, html, pdf and docx";

    private static readonly Dictionary<string, FileFormat> s_byExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = FileFormat.PlainText,
        [".text"] = FileFormat.PlainText,
        [".md"] = FileFormat.Markdown,
        [".markdown"] = FileFormat.Markdown,
        [".csv"] = FileFormat.Csv,
        [".json"] = FileFormat.Json,
        [".xml"] = FileFormat.Xml,
        [".html"] = FileFormat.Html,
        [".htm"] = FileFormat.Html,
        [".pdf"] = FileFormat.Pdf,
        [".docx"] = FileFormat.Docx,
    };

    // The first type of each list is the canonical one; the others are what browsers and tools also send.
    private static readonly Dictionary<FileFormat, string[]> s_contentTypes = new()
    {
        [FileFormat.PlainText] = ["text/plain"],
        [FileFormat.Markdown] = ["text/markdown", "text/x-markdown", "text/plain"],
        [FileFormat.Csv] = ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"],
        [FileFormat.Json] = ["application/json", "text/json", "text/plain"],
        [FileFormat.Xml] = ["application/xml", "text/xml", "text/plain"],
        [FileFormat.Html] = ["text/html", "application/xhtml+xml", "text/plain"],
        [FileFormat.Pdf] = ["application/pdf", "application/x-pdf"],
        [FileFormat.Docx] = ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    };

    /// <summary>The format of <paramref name="filename"/> by its extension; null when it is not supported.</summary>
    public static FileFormat? FromFileName(string filename)
    {
        var extension = Path.GetExtension(filename);
        return !string.IsNullOrEmpty(extension) && s_byExtension.TryGetValue(extension, out var format) ? format : null;
    }

    public static bool IsText(FileFormat format) => format is not (FileFormat.Pdf or FileFormat.Docx);

    /// <summary>
    /// The content type the file is stored and served with: the uploader's when it is one that fits the
    /// format (parameters dropped), else the format's own. A declared type never changes how the file is read.
    /// </summary>
    public static string ContentTypeFor(FileFormat format, string? declared)
    {
        var types = s_contentTypes[format];
        if (!string.IsNullOrWhiteSpace(declared))
        {
            var semicolon = declared.IndexOf(';', StringComparison.Ordinal);
            var mediaType = (semicolon < 0 ? declared : declared[..semicolon]).Trim().ToLowerInvariant();
            if (Array.IndexOf(types, mediaType) >= 0)
            {
                return mediaType;
            }
        }

        return types[0];
    }

    public static string Describe(FileFormat format) => format switch
    {
        FileFormat.PlainText => "plain text",
        FileFormat.Markdown => "Markdown text",
        FileFormat.Csv => "CSV text",
        FileFormat.Json => "JSON text",
        FileFormat.Xml => "XML text",
        FileFormat.Html => "HTML text",
        FileFormat.Pdf => "a PDF document",
        FileFormat.Docx => "a Word (.docx) document",
        _ => format.ToString(),
    };
}
