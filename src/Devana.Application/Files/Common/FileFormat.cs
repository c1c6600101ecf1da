namespace Devana.Application.Files.Common;

/// <summary>The file types text is extracted from (CONTRACT.md §5).</summary>
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
