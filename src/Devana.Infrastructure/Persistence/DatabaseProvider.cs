namespace Devana.Infrastructure.Persistence;

/// <summary>The value of <c>Devana:Database:Provider</c>.</summary>
public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    Postgres,
}
