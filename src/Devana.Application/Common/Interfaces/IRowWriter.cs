namespace Devana.Application.Common.Interfaces;

/// <summary>
/// Writes rows of the model at once, in the context's current transaction, with statements built once from
/// the entity configurations (tables, columns, value conversions) and kept prepared: the completion writes,
/// which run on every request, skip the change tracker and <c>SaveChanges</c>' command pipeline, and store
/// exactly what <c>SaveChanges</c> would.
/// </summary>
/// <remarks>
/// <para>Every call needs a transaction (the write path's, <see cref="IGroupCommit"/>, or
/// <see cref="IApplicationDbContext.InTransactionAsync{T}"/>): a completion's rows are committed together or not at all.</para>
/// <para>These statements pass no EF Core interceptor and no EF Core instrumentation. That is why only the
/// completion writes use them (conversations, messages, quota holds, the usage ledger): the settings cache and
/// the token-entry cache learn of writes to agents, quotas and OpenIddict's tables from interceptors, so those
/// are written through <c>SaveChanges</c> as before.</para>
/// </remarks>
public interface IRowWriter
{
    /// <summary>Inserts <paramref name="entity"/>'s row: every mapped column, those of owned types included; a store-generated key is left to the database.</summary>
    Task InsertAsync<TEntity>(TEntity entity, CancellationToken cancellationToken)
        where TEntity : class;

    /// <summary>
    /// Updates the columns of <paramref name="properties"/> (property names, as the model maps them) in
    /// <paramref name="entity"/>'s row. With a <paramref name="check"/>, the row must still hold the value it
    /// was read with.
    /// </summary>
    /// <exception cref="Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException">The row is gone, or another writer changed the checked column since it was read; nothing was updated.</exception>
    Task UpdateAsync<TEntity>(TEntity entity, IReadOnlyList<string> properties, ConcurrencyCheck? check, CancellationToken cancellationToken)
        where TEntity : class;

    /// <summary>Deletes the row of <typeparamref name="TEntity"/> with the primary key <paramref name="key"/>; returns whether there was one.</summary>
    Task<bool> DeleteAsync<TEntity>(object key, CancellationToken cancellationToken)
        where TEntity : class;
}

/// <summary>An update's condition: the column of <paramref name="Property"/> still holds <paramref name="Expected"/> (optimistic concurrency).</summary>
public sealed record ConcurrencyCheck(string Property, object Expected);
