using System.Data.Common;
using System.Globalization;
using Devana.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore;

namespace Devana.Infrastructure.Persistence;

/// <summary>
/// <see cref="IRowWriter"/> on the scope's context: each statement (<see cref="RowStatement"/>, built once per
/// model from the entity configurations) runs on the context's connection, in its current transaction, with the
/// context's kept command for its SQL (<see cref="PreparedCommands"/>): where the connection stays open (the
/// group-commit writer's, on SQLite) the statement is prepared once.
/// </summary>
/// <remarks>
/// A statement that fails throws <see cref="DbUpdateException"/> around the provider's exception, as
/// <c>SaveChanges</c> does, so that callers (and the retrying execution strategies, which look inside it)
/// see the same failures they saw from it.
/// </remarks>
internal sealed class RowWriter(DevanaDbContext db) : IRowWriter
{
    public Task InsertAsync<TEntity>(TEntity entity, CancellationToken cancellationToken)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(entity);
        return ExecuteAsync(RowStatement.Insert(db, typeof(TEntity)), entity, null, cancellationToken);
    }

    public async Task UpdateAsync<TEntity>(TEntity entity, IReadOnlyList<string> properties, ConcurrencyCheck? check, CancellationToken cancellationToken)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(properties);
        var statement = RowStatement.Update(db, typeof(TEntity), properties, check?.Property);
        if (await ExecuteAsync(statement, entity, check?.Expected, cancellationToken) == 0)
        {
            var what = check is null ? "it no longer exists" : string.Create(CultureInfo.InvariantCulture, $"it no longer exists, or its {check.Property} is no longer {check.Expected}");
            throw new DbUpdateConcurrencyException($"The {statement.Table} row was not updated: {what} (another writer changed it since it was read).");
        }
    }

    public async Task<bool> DeleteAsync<TEntity>(object key, CancellationToken cancellationToken)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(key);
        return await ExecuteAsync(RowStatement.Delete(db, typeof(TEntity)), key, null, cancellationToken) > 0;
    }

    private async Task<int> ExecuteAsync(RowStatement statement, object row, object? expected, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException($"Rows of {statement.Table} are written inside a transaction (the write path's, or InTransactionAsync), so that a completion's rows commit together.");
        }

        var command = db.Command(statement.Sql);
        foreach (var parameter in statement.Parameters)
        {
            command.Parameters.Add(parameter.Create(command, row, expected));
        }

        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DbException exception)
        {
            throw new DbUpdateException($"Writing a row of {statement.Table} failed: {exception.Message}", exception);
        }
    }
}
