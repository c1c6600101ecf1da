using System.Globalization;
using System.Text;
using Devana.Application.Common.Exceptions;

namespace Devana.Application.Common.Paging;

/// <summary>
/// <c>?limit=</c> (1–100, default 20) and <c>?after=</c> of docs/api.md#lists-and-paging. Lists are newest first; the
/// cursor is the (created_at, id) of the last item of the previous page, opaque to callers.
/// </summary>
public sealed record PageRequest(int? Limit, string? After)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public int EffectiveLimit => Limit ?? DefaultLimit;

    /// <summary>Throws a 400 naming <c>limit</c> or <c>after</c> when either is malformed.</summary>
    public PageCursor? Validate()
    {
        if (Limit is < 1 or > MaxLimit)
        {
            throw new BadRequestException($"limit must be between 1 and {MaxLimit}.", "limit");
        }

        return string.IsNullOrEmpty(After) ? null : PageCursor.Decode(After);
    }
}

/// <summary>A keyset position: items strictly older than (<see cref="CreatedAtTicks"/>, <see cref="Id"/>).</summary>
public sealed record PageCursor(long CreatedAtTicks, string Id)
{
    public static PageCursor From(DateTimeOffset createdAt, string id) => new(createdAt.UtcTicks, id);

    public string Encode()
    {
        var raw = $"{CreatedAtTicks.ToString(CultureInfo.InvariantCulture)}:{Id}";
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(raw)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static PageCursor Decode(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var raw = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(raw.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && colon < raw.Length - 1)
            {
                return new PageCursor(ticks, raw[(colon + 1)..]);
            }
        }
        catch (FormatException)
        {
            // Falls through to the 400 below.
        }

        throw new BadRequestException("after is not a cursor returned by this list.", "after");
    }
}
