namespace Devana.Application.Files.Common;

/// <summary>The file types text is extracted from (docs/files.md#formats).</summary>
public enum FileFormat
{
    PlainText,
    Markdown,
    Csv,
    Json,
    Xml,
    Html,
    Pdf,
    Docx,
}
