using System.Buffers.Text;
using Microsoft.Extensions.AI;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// <c>image_url</c> parts: an https URL (the LLM fetches it) or a base64 <c>data:</c> URL of a PNG, JPEG,
/// GIF or WebP image (what every provider with vision takes).
/// </summary>
internal static class CompletionImages
{
    private static readonly string[] s_mediaTypes = ["image/png", "image/jpeg", "image/gif", "image/webp"];

    public static bool IsAcceptedUrl(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return false;
        }

        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = url.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0)
            {
                return false;
            }

            var header = url.AsSpan(5, comma - 5);
            const string Base64Suffix = ";base64";
            return header.EndsWith(Base64Suffix, StringComparison.OrdinalIgnoreCase)
                && s_mediaTypes.Contains(header[..^Base64Suffix.Length].ToString().ToLowerInvariant(), StringComparer.Ordinal)
                && url.Length > comma + 1
                && Base64.IsValid(url.AsSpan(comma + 1));
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;
    }

    /// <summary>The image as the LLM adapters take it: the bytes of a data URL, or the https URL itself.</summary>
    public static AIContent ToContent(CompletionImage image) =>
        image.Url.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
            ? new DataContent(image.Url)
            : new UriContent(new Uri(image.Url), "image/*");
}
