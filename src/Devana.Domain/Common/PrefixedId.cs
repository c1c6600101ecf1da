using System.Security.Cryptography;

namespace Devana.Domain.Common;

/// <summary>Opaque IDs with a type prefix (<c>agt_…</c>, <c>conv_…</c>), as docs/api.md#conventions says.</summary>
/// <remarks>
/// The 24 characters after the prefix are the creation time in milliseconds (9 base-36 digits, enough until the
/// year 5188) and then 15 random ones (about 77 bits). IDs made one after the other sort in the order they were
/// made, so a new row's key lands at the end of its index instead of on a random page: a completion writes two
/// messages and often a conversation, and random keys cost each of them a page of their own in every index that
/// holds the ID (docs/performance.md, twelfth session). The random part keeps IDs unguessable; the time in them is
/// no secret, since every object that has an ID also gives its creation time.
/// </remarks>
public static class PrefixedId
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    private const int TimeLength = 9;
    private const int RandomLength = 15;

    // 36^9 ms after 1970: early in the year 5188, the first time nine base-36 digits cannot hold.
    private const long TimeLimit = 101_559_956_668_416;

    /// <summary>A new ID: the prefix, an underscore, 9 base-36 digits of the time and 15 random base-36 characters.</summary>
    public static string New(string prefix) => New(prefix, DateTimeOffset.UtcNow);

    /// <summary>A new ID made at <paramref name="now"/>: see <see cref="New(string)"/>.</summary>
    public static string New(string prefix, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var milliseconds = now.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(now));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(milliseconds, TimeLimit, nameof(now));
        return string.Create(prefix.Length + 1 + TimeLength + RandomLength, (prefix, milliseconds), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            span[state.prefix.Length] = '_';
            var time = span.Slice(state.prefix.Length + 1, TimeLength);
            var value = state.milliseconds;
            for (var i = TimeLength - 1; i >= 0; i--)
            {
                time[i] = Alphabet[(int)(value % Alphabet.Length)];
                value /= Alphabet.Length;
            }

            RandomNumberGenerator.GetItems(Alphabet, span[^RandomLength..]);
        });
    }
}
