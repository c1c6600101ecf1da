using Devana.Infrastructure.Quotas;
using Microsoft.EntityFrameworkCore;

namespace Devana.Infrastructure.Persistence;

/// <summary>The SQL Server flavour of <see cref="DevanaDbContext"/>, with its own migrations under Migrations/SqlServer.</summary>
public sealed class SqlServerDevanaDbContext(DbContextOptions<SqlServerDevanaDbContext> options) : DevanaDbContext(options)
{
    internal override QuotaCounterSql CounterSql => ServerQuotaCounterSql.SqlServer;
}
