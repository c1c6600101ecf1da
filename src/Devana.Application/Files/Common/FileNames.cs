using System.Globalization;
using System.Text;
using Devana.Domain.Files;

namespace Devana.Application.Files.Common;

/// <summary>Makes an uploader's file name safe to store, show and send back in a <c>Content-Disposition</c> header.</summary>
public static class FileNames
{
    /// <summary>
    /// The last segment of <paramref name="raw"/> (so <c>../../x.txt</c> and <c>C:\Users\me\x.txt</c> are
    /// <c>x.txt</c>), in Unicode normal form C, without control or invisible formatting characters (bidi
    /// overrides, zero-width characters), with characters that are unsafe in file names or headers
    /// (<c>&lt; &gt; : " | ? *</c>) replaced by <c>_</c>, trimmed of spaces and trailing dots, and cut to
    /// <see cref="StoredFile.FilenameMaxLength"/> characters with its extension kept. Empty when nothing is left.
    /// </summary>
    public static string Sanitize(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return string.Empty;
        }

        var lastSeparator = raw.LastIndexOfAny(['/', '\\']);
        var name = lastSeparator >= 0 ? raw[(lastSeparator + 1)..] : raw;
        if (!name.IsNormalized(NormalizationForm.FormC))
        {
            try
            {
                name = name.Normalize(NormalizationForm.FormC);
            }
            catch (ArgumentException)
            {
                // Lone surrogates cannot be normalised; they are dropped below.
            }
        }

        var builder = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                builder.Append(c).Append(name[++i]);
                continue;
            }

            if (char.IsSurrogate(c) || char.IsControl(c))
            {
                continue;
            }

            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse)
            {
                continue;
            }

            builder.Append(c is '<' or '>' or ':' or '"' or '|' or '?' or '*' ? '_' : category == UnicodeCategory.SpaceSeparator ? ' ' : c);
        }

        var cleaned = builder.ToString().Trim().TrimEnd('.', ' ');
        return Truncate(cleaned, StoredFile.FilenameMaxLength);
    }

    private static string Truncate(string name, int max)
    {
        if (name.Length <= max)
        {
            return name;
        }

        var extension = Path.GetExtension(name);
        if (extension.Length >= max / 2)
        {
            extension = string.Empty;
        }

        var stemLength = max - extension.Length;
        if (char.IsHighSurrogate(name[stemLength - 1]))
        {
            stemLength--;
        }

        return name[..stemLength].TrimEnd() + extension;
    }
}
