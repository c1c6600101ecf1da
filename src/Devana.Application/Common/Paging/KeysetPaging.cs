using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Common.Paging;

/// <summary>
/// The one keyset paging of the lists (docs/api.md#lists-and-paging): newest first by (created_at, key), the page after
/// the cursor, one row more than the limit to know whether there is more. Runs in the database.
/// </summary>
public static class KeysetPaging
{
    private static readonly MethodInfo s_compare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    public static async Task<ListResult<TDto>> ToPageAsync<T, TDto>(
        this IQueryable<T> query,
        PageRequest page,
        Expression<Func<T, DateTimeOffset>> createdAt,
        Expression<Func<T, string>> key,
        Func<T, TDto> map,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(createdAt);
        ArgumentNullException.ThrowIfNull(key);
        var cursor = page.Validate();
        var limit = page.EffectiveLimit;
        if (cursor is not null)
        {
            query = query.Where(After(createdAt, key, new Position(new DateTimeOffset(cursor.CreatedAtTicks, TimeSpan.Zero), cursor.Id)));
        }

        var fetched = await query.OrderByDescending(createdAt).ThenByDescending(key).Take(limit + 1).ToListAsync(cancellationToken);
        var createdAtOf = createdAt.Compile();
        var keyOf = key.Compile();
        return ListResult<TDto>.FromFetched(fetched, limit, item => PageCursor.From(createdAtOf(item), keyOf(item)), map);
    }

    /// <summary><c>x =&gt; x.CreatedAt &lt; at || (x.CreatedAt == at &amp;&amp; string.Compare(x.Key, key) &lt; 0)</c>, with the cursor as query parameters.</summary>
    private static Expression<Func<T, bool>> After<T>(Expression<Func<T, DateTimeOffset>> createdAt, Expression<Func<T, string>> key, Position position)
    {
        var item = createdAt.Parameters[0];
        var itemCreatedAt = createdAt.Body;
        var itemKey = new ParameterReplacer(key.Parameters[0], item).Visit(key.Body);
        var holder = Expression.Constant(position);
        var at = Expression.Property(holder, nameof(Position.CreatedAt));
        var id = Expression.Property(holder, nameof(Position.Key));
        var older = Expression.LessThan(itemCreatedAt, at);
        var sameTimeSmallerKey = Expression.AndAlso(
            Expression.Equal(itemCreatedAt, at),
            Expression.LessThan(Expression.Call(s_compare, itemKey, id), Expression.Constant(0)));
        return Expression.Lambda<Func<T, bool>>(Expression.OrElse(older, sameTimeSmallerKey), item);
    }

    private sealed record Position(DateTimeOffset CreatedAt, string Key);

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
