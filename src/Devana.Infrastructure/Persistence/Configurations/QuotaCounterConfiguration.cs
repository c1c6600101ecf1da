using Devana.Infrastructure.Quotas;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Devana.Infrastructure.Persistence.Configurations;

/// <summary>
/// Table <c>quota_counters</c>. The primary key is the counter's identity, so that creating a missing
/// counter is an insert-if-absent that a concurrent insert cannot duplicate. <c>EfQuotaCounterStore</c>
/// names these columns in raw SQL: keep both in step.
/// </summary>
internal sealed class QuotaCounterConfiguration : IEntityTypeConfiguration<QuotaCounter>
{
    public void Configure(EntityTypeBuilder<QuotaCounter> builder)
    {
        builder.ToTable(QuotaCounter.Table);
        builder.HasKey(c => new { c.WorkspaceId, c.Level, c.SubjectId, c.Kind, c.WindowStart });
        builder.Ignore(c => c.Key);
        builder.Property(c => c.WorkspaceId).HasColumnName("workspace_id").HasMaxLength(64);
        builder.Property(c => c.Level).HasColumnName("level").HasMaxLength(16);
        builder.Property(c => c.SubjectId).HasColumnName("subject_id").HasMaxLength(64);
        builder.Property(c => c.Kind).HasColumnName("kind").HasMaxLength(32);
        builder.Property(c => c.WindowStart).HasColumnName("window_start");
        builder.Property(c => c.WindowEnd).HasColumnName("window_end");
        builder.Property(c => c.Used).HasColumnName("used");

        builder.HasIndex(c => c.WindowEnd).HasDatabaseName("ix_quota_counters_window_end");
    }
}
