using Devana.Application.Common.Exceptions;

namespace Devana.Application.Files.Common;

/// <summary>
/// Checks that a file's first bytes fit the format its extension claims, so that a PNG, ZIP or executable
/// renamed <c>.txt</c>, or a <c>.pdf</c> that is no PDF, is refused (415) before it is stored.
/// </summary>
public static class FileSniffer
{
    /// <summary>How many leading bytes are inspected.</summary>
    public const int HeadLength = 8192;

    // Weak signatures are printable ASCII that ordinary text may also begin with ("MZ", "ID3", "RIFF"):
    // they count only when the rest of the head is not text.
    private static readonly (byte[] Magic, int Offset, string Description, bool Weak)[] s_binarySignatures =
    [
        ([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], 0, "a PNG image", false),
        ([0xFF, 0xD8, 0xFF], 0, "a JPEG image", false),
        ("GIF87a"u8.ToArray(), 0, "a GIF image", false),
        ("GIF89a"u8.ToArray(), 0, "a GIF image", false),
        ([(byte)'I', (byte)'I', 0x2A, 0x00], 0, "a TIFF image", false),
        ([(byte)'M', (byte)'M', 0x00, 0x2A], 0, "a TIFF image", false),
        ([0x00, 0x00, 0x01, 0x00], 0, "an icon", false),
        ("RIFF"u8.ToArray(), 0, "a RIFF media file (WebP, WAV or AVI)", true),
        ("ftyp"u8.ToArray(), 4, "an MP4/HEIC media file", true),
        ("OggS"u8.ToArray(), 0, "an Ogg media file", true),
        ("ID3"u8.ToArray(), 0, "an MP3 audio file", true),
        ("%PDF-"u8.ToArray(), 0, "a PDF document", false),
        ([(byte)'P', (byte)'K', 0x03, 0x04], 0, "a ZIP archive", false),
        ([(byte)'P', (byte)'K', 0x05, 0x06], 0, "a ZIP archive", false),
        ([(byte)'P', (byte)'K', 0x07, 0x08], 0, "a ZIP archive", false),
        ([0x1F, 0x8B], 0, "a gzip archive", false),
        ([(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C], 0, "a 7-Zip archive", false),
        ("Rar!\u001A\u0007"u8.ToArray(), 0, "a RAR archive", false),
        ([0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00], 0, "an xz archive", false),
        ([0x28, 0xB5, 0x2F, 0xFD], 0, "a Zstandard archive", false),
        ([(byte)'B', (byte)'Z', (byte)'h'], 0, "a bzip2 archive", true),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], 0, "an OLE2 document (legacy Office or encrypted Office)", false),
        ([0x7F, (byte)'E', (byte)'L', (byte)'F'], 0, "an ELF executable", false),
        ([(byte)'M', (byte)'Z'], 0, "a Windows executable", true),
        ([0xFE, 0xED, 0xFA, 0xCE], 0, "a Mach-O executable", false),
        ([0xFE, 0xED, 0xFA, 0xCF], 0, "a Mach-O executable", false),
        ([0xCE, 0xFA, 0xED, 0xFE], 0, "a Mach-O executable", false),
        ([0xCF, 0xFA, 0xED, 0xFE], 0, "a Mach-O executable", false),
        ([0xCA, 0xFE, 0xBA, 0xBE], 0, "a Java class or Mach-O universal binary", false),
        ([0x00, (byte)'a', (byte)'s', (byte)'m'], 0, "a WebAssembly module", false),
        ("SQLite format 3\0"u8.ToArray(), 0, "an SQLite database", false),
    ];

    /// <summary>Throws <see cref="UnsupportedFileTypeException"/> when <paramref name="head"/> does not fit <paramref name="format"/>.</summary>
    public static void EnsureMatches(FileFormat format, ReadOnlySpan<byte> head, string filename)
    {
        var binary = DetectBinary(head);
        switch (format)
        {
            case FileFormat.Pdf when !head.StartsWith("%PDF-"u8):
                throw Mismatch(filename, format, binary ?? "something else: it does not start with %PDF-");
            case FileFormat.Docx when !head.StartsWith("PK\u0003\u0004"u8):
                throw Mismatch(filename, format, binary ?? "something else: it is not a ZIP package");
            case FileFormat.Pdf or FileFormat.Docx:
                return;
            default:
                if (binary is not null)
                {
                    throw Mismatch(filename, format, binary);
                }

                if (!LooksLikeText(head))
                {
                    throw Mismatch(filename, format, "binary data");
                }

                return;
        }
    }

    /// <summary>What a known binary signature at the start of <paramref name="head"/> says the file is; null when none matches.</summary>
    public static string? DetectBinary(ReadOnlySpan<byte> head)
    {
        bool? isText = null;
        foreach (var (magic, offset, description, weak) in s_binarySignatures)
        {
            if (head.Length >= offset + magic.Length && head.Slice(offset, magic.Length).SequenceEqual(magic))
            {
                isText ??= LooksLikeText(head);
                if (weak && isText.Value)
                {
                    continue;
                }

                return description;
            }
        }

        return null;
    }

    /// <summary>
    /// Text has no NUL and almost no other control bytes (tab, line feed, carriage return, form feed and
    /// escape aside). UTF-16 is text when it starts with its byte-order mark and has no NUL character.
    /// </summary>
    public static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
        {
            var littleEndian = head[0] == 0xFF;
            for (var i = 2; i + 1 < head.Length; i += 2)
            {
                var unit = littleEndian ? head[i] | (head[i + 1] << 8) : (head[i] << 8) | head[i + 1];
                if (unit == 0)
                {
                    return false;
                }
            }

            return true;
        }

        var controls = 0;
        foreach (var b in head)
        {
            if (b == 0)
            {
                return false;
            }

            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1B))
            {
                controls++;
            }
        }

        return controls <= Math.Max(1, head.Length / 100);
    }

    private static UnsupportedFileTypeException Mismatch(string filename, FileFormat format, string found) =>
        new($"'{filename}' is named as {FileFormats.Describe(format)}, but its content is {found}. Supported file types: {FileFormats.SupportedList}.");
}
