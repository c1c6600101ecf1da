using System.Text;

namespace Devana.Infrastructure.Files;

/// <summary>
/// Turns the bytes of a text file into a string: the encoding its byte-order mark names, else UTF-8 when
/// the bytes are valid UTF-8, else Windows-1252 (what "ANSI" text from Windows usually is). Line endings
/// become <c>\n</c>; NUL characters are dropped.
/// </summary>
internal static class TextDecoding
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Lazy<Encoding> s_windows1252 = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    });

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        string text;
        if (bytes.StartsWith("\uFEFF"u8))
        {
            text = Encoding.UTF8.GetString(bytes[3..]);
        }
        else if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
        {
            text = Encoding.Unicode.GetString(bytes[2..]);
        }
        else if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
        {
            text = Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }
        else
        {
            try
            {
                text = s_strictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                text = s_windows1252.Value.GetString(bytes);
            }
        }

        return NormalizeLineEndings(text);
    }

    public static string NormalizeLineEndings(string text)
    {
        if (text.Contains('\r', StringComparison.Ordinal))
        {
            text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        }

        return text.Contains('\0', StringComparison.Ordinal) ? text.Replace("\0", string.Empty, StringComparison.Ordinal) : text;
    }
}
