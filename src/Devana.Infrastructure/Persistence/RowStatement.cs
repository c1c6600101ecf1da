using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Devana.Infrastructure.Persistence;

/// <summary>
/// One insert, update or delete of an entity's row, built from the EF Core model of the context's provider:
/// the table and column names, the identifier quoting and parameter names of the provider, and for each
/// column the type mapping EF Core itself binds its parameters with (value conversions included). So a row
/// written through <see cref="RowWriter"/> holds what <c>SaveChanges</c> would have stored, and a change to
/// an entity's configuration changes both. Statements are built once per model and kind, then shared.
/// </summary>
/// <remarks>
/// What is supported is what the completion writes need, and anything else is refused when the statement is
/// built, not guessed: properties with a CLR member (no shadow properties but the keys of owned types),
/// owned references stored in the owner's table, and a store-generated integer key (left to the database).
/// </remarks>
internal sealed class RowStatement
{
    private static readonly ConcurrentDictionary<(IModel Model, Type Type, string Shape), RowStatement> s_built = new();

    private RowStatement(string table, string sql, RowParameter[] parameters)
    {
        Table = table;
        Sql = sql;
        Parameters = parameters;
    }

    /// <summary>The table's name, for messages.</summary>
    public string Table { get; }

    public string Sql { get; }

    public IReadOnlyList<RowParameter> Parameters { get; }

    /// <summary><c>INSERT INTO table (every column) VALUES (…)</c>; the row is the entity.</summary>
    public static RowStatement Insert(DbContext db, Type type) =>
        s_built.GetOrAdd((db.Model, type, "insert"), static (key, db) => BuildInsert(db, Mapped(db, key.Type)), db);

    /// <summary><c>UPDATE table SET (the properties' columns) WHERE key [AND check = expected]</c>; the row is the entity.</summary>
    public static RowStatement Update(DbContext db, Type type, IReadOnlyList<string> properties, string? check) =>
        s_built.GetOrAdd(
            (db.Model, type, $"update {string.Join(',', properties)} if {check}"),
            static (key, state) => BuildUpdate(state.db, Mapped(state.db, key.Type), state.properties, state.check),
            (db, properties, check));

    /// <summary><c>DELETE FROM table WHERE key</c>; the row is the key's value.</summary>
    public static RowStatement Delete(DbContext db, Type type) =>
        s_built.GetOrAdd((db.Model, type, "delete"), static (key, db) => BuildDelete(db, Mapped(db, key.Type)), db);

    private static IEntityType Mapped(DbContext db, Type type) =>
        db.Model.FindEntityType(type) is { } entityType && entityType.GetTableName() is not null
            ? entityType
            : throw new InvalidOperationException($"{type.Name} is not an entity mapped to a table of the model.");

    private static RowStatement BuildInsert(DbContext db, IEntityType entityType)
    {
        var sql = new Names(db, entityType);
        var columns = Columns(entityType, sql.Store, static row => row, ownerNullable: false)
            .Where(column => !IsStoreGeneratedKey(column.Property))
            .ToList();
        var parameters = columns.Select((column, i) => column.Parameter(sql.ParameterName(i))).ToArray();
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"INSERT INTO {sql.TableName} ({string.Join(", ", columns.Select(c => sql.Quote(c.Name)))}) VALUES ({string.Join(", ", parameters.Select(p => p.Placeholder))})");
        return new RowStatement(sql.Table, text, parameters);
    }

    private static RowStatement BuildUpdate(DbContext db, IEntityType entityType, IReadOnlyList<string> properties, string? check)
    {
        if (properties.Count == 0)
        {
            throw new ArgumentException("An update names at least one property.", nameof(properties));
        }

        var sql = new Names(db, entityType);
        var parameters = new List<RowParameter>();
        var set = new List<string>();
        foreach (var name in properties)
        {
            var column = Column.Of(Property(entityType, name), sql.Store);
            var parameter = column.Parameter(sql.ParameterName(parameters.Count));
            parameters.Add(parameter);
            set.Add($"{sql.Quote(column.Name)} = {parameter.Placeholder}");
        }

        var where = KeyCondition(entityType, sql, parameters, fromRow: true);
        if (check is not null)
        {
            var column = Column.Of(Property(entityType, check), sql.Store);
            var parameter = RowParameter.Expected(column.Property, sql.ParameterName(parameters.Count));
            parameters.Add(parameter);
            where += $" AND {sql.Quote(column.Name)} = {parameter.Placeholder}";
        }

        return new RowStatement(sql.Table, $"UPDATE {sql.TableName} SET {string.Join(", ", set)} WHERE {where}", [.. parameters]);
    }

    private static RowStatement BuildDelete(DbContext db, IEntityType entityType)
    {
        var sql = new Names(db, entityType);
        var parameters = new List<RowParameter>();
        var where = KeyCondition(entityType, sql, parameters, fromRow: false);
        return new RowStatement(sql.Table, $"DELETE FROM {sql.TableName} WHERE {where}", [.. parameters]);
    }

    /// <summary>The primary key's condition; from the row's properties, or (a delete) from the one key value given as the row.</summary>
    private static string KeyCondition(IEntityType entityType, Names sql, List<RowParameter> parameters, bool fromRow)
    {
        var key = entityType.FindPrimaryKey()!.Properties;
        if (!fromRow && key.Count != 1)
        {
            throw new NotSupportedException($"{entityType.DisplayName()} has a composite key; a delete by key value needs a single-column key.");
        }

        var conditions = new List<string>();
        foreach (var property in key)
        {
            var column = Column.Of(property, sql.Store);
            var parameter = fromRow ? column.Parameter(sql.ParameterName(parameters.Count)) : RowParameter.Key(property, sql.ParameterName(parameters.Count));
            parameters.Add(parameter);
            conditions.Add($"{sql.Quote(column.Name)} = {parameter.Placeholder}");
        }

        return string.Join(" AND ", conditions);
    }

    private static IProperty Property(IEntityType entityType, string name) =>
        entityType.FindProperty(name) ?? throw new InvalidOperationException($"{entityType.DisplayName()} has no mapped property {name}.");

    /// <summary>The columns of an entity's row: its own properties, then those of the owned references stored in its table.</summary>
    private static IEnumerable<Column> Columns(IEntityType entityType, StoreObjectIdentifier store, Func<object, object?> instance, bool ownerNullable)
    {
        foreach (var property in entityType.GetProperties())
        {
            if (entityType.IsOwned() && property.IsPrimaryKey())
            {
                // An owned type's key is its owner's, in the owner's column.
                continue;
            }

            yield return Column.Of(property, store, instance, ownerNullable);
        }

        foreach (var navigation in entityType.GetNavigations())
        {
            if (!navigation.ForeignKey.IsOwnership || navigation.IsOnDependent)
            {
                continue;
            }

            var owned = navigation.TargetEntityType;
            if (navigation.IsCollection || owned.GetTableName() != store.Name)
            {
                throw new NotSupportedException($"{entityType.DisplayName()}.{navigation.Name} is owned but not a reference in the same table; its rows are not written by {nameof(RowWriter)}.");
            }

            var getter = navigation.GetGetter();
            foreach (var column in Columns(owned, store, row => instance(row) is { } owner ? getter.GetClrValue(owner) : null, ownerNullable: true))
            {
                yield return column;
            }
        }
    }

    /// <summary>An integer key the database generates (an identity or autoincrement column): an insert leaves it out.</summary>
    private static bool IsStoreGeneratedKey(IProperty property) =>
        property.IsPrimaryKey() && property.ValueGenerated.HasFlag(ValueGenerated.OnAdd) && (property.ClrType == typeof(long) || property.ClrType == typeof(int));

    /// <summary>The provider's names for the statement's table and parameters.</summary>
    private sealed class Names
    {
        private readonly ISqlGenerationHelper _helper;

        public Names(DbContext db, IEntityType entityType)
        {
            _helper = db.GetService<ISqlGenerationHelper>();
            Table = entityType.GetTableName()!;
            Store = StoreObjectIdentifier.Table(Table, entityType.GetSchema());
            TableName = _helper.DelimitIdentifier(Table, entityType.GetSchema());
        }

        public string Table { get; }

        public StoreObjectIdentifier Store { get; }

        public string TableName { get; }

        public string Quote(string column) => _helper.DelimitIdentifier(column);

        public (string Name, string Placeholder) ParameterName(int index)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"p{index}");
            return (_helper.GenerateParameterName(name), _helper.GenerateParameterNamePlaceholder(name));
        }
    }

    /// <summary>A column and how to read its value from the row.</summary>
    private sealed record Column(IProperty Property, string Name, Func<object, object?> Value, bool Nullable)
    {
        public static Column Of(IProperty property, StoreObjectIdentifier store) => Of(property, store, static row => row, ownerNullable: false);

        public static Column Of(IProperty property, StoreObjectIdentifier store, Func<object, object?> instance, bool ownerNullable)
        {
            if (property.IsShadowProperty())
            {
                throw new NotSupportedException($"{property.DeclaringType.DisplayName()}.{property.Name} is a shadow property; {nameof(RowWriter)} reads values from the entity.");
            }

            var getter = property.GetGetter();
            return new Column(
                property,
                property.GetColumnName(store) ?? throw new InvalidOperationException($"{property.DeclaringType.DisplayName()}.{property.Name} has no column in {store.Name}."),
                row => instance(row) is { } value ? getter.GetClrValue(value) : null,
                ownerNullable || property.IsNullable);
        }

        public RowParameter Parameter((string Name, string Placeholder) name) =>
            new(name.Name, name.Placeholder, Property.GetRelationalTypeMapping(), Nullable, (row, _) => Value(row));
    }
}

/// <summary>One parameter of a <see cref="RowStatement"/>: its name, the column's type mapping and where its value comes from.</summary>
internal sealed class RowParameter(string name, string placeholder, RelationalTypeMapping mapping, bool nullable, Func<object, object?, object?> value)
{
    public string Placeholder { get; } = placeholder;

    /// <summary>The value a concurrency check expects, in the property's own type.</summary>
    public static RowParameter Expected(IProperty property, (string Name, string Placeholder) name) =>
        new(name.Name, name.Placeholder, property.GetRelationalTypeMapping(), false, static (_, expected) => expected);

    /// <summary>A delete's key value, given in place of the row.</summary>
    public static RowParameter Key(IProperty property, (string Name, string Placeholder) name) =>
        new(name.Name, name.Placeholder, property.GetRelationalTypeMapping(), false, static (row, _) => row);

    /// <summary>The parameter with this row's value, converted and typed as EF Core binds the column.</summary>
    public DbParameter Create(DbCommand command, object row, object? expected) => mapping.CreateParameter(command, name, value(row, expected), nullable);
}
