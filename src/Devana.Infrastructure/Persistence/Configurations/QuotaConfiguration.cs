using Devana.Domain.Quotas;
using Devana.Infrastructure.Quotas;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Devana.Infrastructure.Persistence.Configurations;

/// <summary>Table <c>quotas</c>: one row per subject with a stored quota; the key is (workspace_id, level, subject_id).</summary>
internal sealed class QuotaConfiguration : IEntityTypeConfiguration<Quota>
{
    public void Configure(EntityTypeBuilder<Quota> builder)
    {
        builder.ToTable("quotas");
        builder.HasKey(q => new { q.WorkspaceId, q.Level, q.SubjectId });
        builder.Ignore(q => q.Limits);

        builder.Property(q => q.WorkspaceId).HasColumnName("workspace_id").HasMaxLength(64);
        builder.Property(q => q.Level).HasColumnName("level").HasMaxLength(16)
            .HasConversion(level => QuotaCounter.LevelName(level), value => QuotaCounter.LevelOf(value));
        builder.Property(q => q.SubjectId).HasColumnName("subject_id").HasMaxLength(64);
        builder.Property(q => q.Key).HasColumnName("key").HasMaxLength(96);
        builder.Property(q => q.RequestsPerMinute).HasColumnName("requests_per_minute");
        builder.Property(q => q.RequestsPerDay).HasColumnName("requests_per_day");
        builder.Property(q => q.TokensPerDay).HasColumnName("tokens_per_day");
        builder.Property(q => q.TokensPerMonth).HasColumnName("tokens_per_month");
        builder.Property(q => q.CreatedAt).HasColumnName("created_at");
        builder.Property(q => q.UpdatedAt).HasColumnName("updated_at");

        // GET /v1/quotas: newest first within a workspace, keyset-paged on (created_at, key).
        builder.HasIndex(q => new { q.WorkspaceId, q.CreatedAt, q.Key }).HasDatabaseName("ix_quotas_workspace_id_created_at_key");
    }
}
