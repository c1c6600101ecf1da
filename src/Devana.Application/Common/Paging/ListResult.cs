namespace Devana.Application.Common.Paging;

/// <summary>One page of a list, newest first: <c>{"object": "list", "data", "has_more", "next_cursor"}</c>.</summary>
public sealed record ListResult<T>(IReadOnlyList<T> Data, bool HasMore, string? NextCursor)
{
    public string Object => "list";

    /// <summary>
    /// Builds a page from <paramref name="fetched"/>, which holds up to limit + 1 items: the extra one
    /// only tells whether there is more.
    /// </summary>
    public static ListResult<T> FromFetched<TSource>(IReadOnlyList<TSource> fetched, int limit, Func<TSource, PageCursor> cursorOf, Func<TSource, T> map)
    {
        ArgumentNullException.ThrowIfNull(fetched);
        ArgumentNullException.ThrowIfNull(cursorOf);
        ArgumentNullException.ThrowIfNull(map);
        var hasMore = fetched.Count > limit;
        var page = hasMore ? fetched.Take(limit).ToList() : fetched.ToList();
        var next = hasMore ? cursorOf(page[^1]).Encode() : null;
        return new ListResult<T>(page.Select(map).ToList(), hasMore, next);
    }
}
