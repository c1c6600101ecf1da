using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace Devana.Application.Common.Access;

/// <summary>
/// Reading owned resources (conversations, files) through the aggregate's own access rule, run by the
/// database. What the rule hides is a 404, never a 403: another principal's resources are not disclosed.
/// </summary>
public static class OwnedResourceQueries
{
    /// <summary>The resources <paramref name="caller"/> may see under <paramref name="rule"/>.</summary>
    public static IQueryable<T> AllowedBy<T>(this IQueryable<T> source, AccessRule<T> rule, ICurrentPrincipal caller)
        where T : class, IOwned
    {
        ArgumentNullException.ThrowIfNull(rule);
        return source.Where(rule.For(caller.ToActor()));
    }

    /// <summary>The resource <paramref name="id"/> if <paramref name="rule"/> lets <paramref name="caller"/> see it, else <paramref name="notFound"/>.</summary>
    public static async Task<T> FindAllowedAsync<T>(this IQueryable<T> source, AccessRule<T> rule, ICurrentPrincipal caller, string id, Func<string, NotFoundException> notFound, CancellationToken cancellationToken)
        where T : class, IOwned
    {
        ArgumentNullException.ThrowIfNull(notFound);
        return await source.AllowedBy(rule, caller).FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw notFound(id);
    }
}
