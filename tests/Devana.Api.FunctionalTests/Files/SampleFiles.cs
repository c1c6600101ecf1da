using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using PageSize = UglyToad.PdfPig.Content.PageSize;

namespace Devana.Api.FunctionalTests.Files;

/// <summary>Small real files of each kind, and multipart bodies to send them in.</summary>
public static class SampleFiles
{
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0];

    public static readonly byte[] Elf = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3E, 0];

    public static byte[] Pdf(string text)
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        builder.AddPage(PageSize.A4).AddText(text, 12, new PdfPoint(50, 780), font);
        return builder.Build();
    }

    public static byte[] Docx(string text)
    {
        using var buffer = new MemoryStream();
        using (var document = WordprocessingDocument.Create(buffer, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
        {
            document.AddMainDocumentPart().Document = new Document(new Body(new Paragraph(new Run(new Text(text)))));
        }

        return buffer.ToArray();
    }

    public static byte[] Zip(string entry, string content)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry(entry).Open());
            writer.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>A multipart body as SDKs send it: an optional <c>purpose</c> field, then the file part.</summary>
    public static MultipartFormDataContent Form(string filename, byte[] bytes, string? contentType = "application/octet-stream", string field = "file", bool withPurpose = false)
    {
        var form = new MultipartFormDataContent();
        if (withPurpose)
        {
            form.Add(new StringContent("assistants"), "purpose");
        }

        var part = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        form.Add(part, field, filename);
        return form;
    }

    public static MultipartFormDataContent Form(string filename, string text, string? contentType = "text/plain") =>
        Form(filename, Encoding.UTF8.GetBytes(text), contentType);

    /// <summary>A hand-written multipart body, for part headers that HttpClient would not write.</summary>
    public static ByteArrayContent RawMultipart(string partHeaders, byte[] body, string boundary = "devana-test-boundary", bool close = true)
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes($"--{boundary}\r\n{partHeaders}\r\n\r\n"));
        bytes.AddRange(body);
        if (close)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n"));
        }

        var content = new ByteArrayContent(bytes.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        return content;
    }
}
