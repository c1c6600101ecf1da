using System.Security.Cryptography;

namespace Devana.Domain.Common;

/// <summary>Opaque IDs with a type prefix (<c>agt_…</c>, <c>conv_…</c>), as docs/api.md#conventions says.</summary>
public static class PrefixedId
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>A new ID: the prefix, an underscore and 24 random base-36 characters (~124 bits).</summary>
    public static string New(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        return string.Create(prefix.Length + 1 + 24, prefix, static (span, p) =>
        {
            p.AsSpan().CopyTo(span);
            span[p.Length] = '_';
            Span<byte> random = stackalloc byte[24];
            RandomNumberGenerator.Fill(random);
            for (var i = 0; i < 24; i++)
            {
                span[p.Length + 1 + i] = Alphabet[random[i] % Alphabet.Length];
            }
        });
    }
}
