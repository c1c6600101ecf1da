using Devana.Infrastructure.Quotas;
using Microsoft.EntityFrameworkCore;

namespace Devana.Infrastructure.Persistence;

/// <summary>The PostgreSQL flavour of <see cref="DevanaDbContext"/>, with its own migrations under Migrations/Postgres.</summary>
/// <remarks>
/// Npgsql maps <see cref="DateTimeOffset"/> to <c>timestamp with time zone</c>, which stores an instant in
/// UTC: every time Devana writes comes from <see cref="TimeProvider.GetUtcNow"/>, so nothing is lost.
/// </remarks>
public sealed class PostgresDevanaDbContext(DbContextOptions<PostgresDevanaDbContext> options) : DevanaDbContext(options)
{
    internal override QuotaCounterSql CounterSql => ServerQuotaCounterSql.Postgres;
}
