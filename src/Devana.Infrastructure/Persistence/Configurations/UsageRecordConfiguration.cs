using Devana.Domain.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Devana.Infrastructure.Persistence.Configurations;

/// <summary>Table <c>usage_records</c>: the ledger, appended to and summed, never updated.</summary>
internal sealed class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> builder)
    {
        builder.ToTable("usage_records");
        builder.HasKey(r => r.Id);
        builder.Ignore(r => r.TotalTokens);

        builder.Property(r => r.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(r => r.WorkspaceId).HasColumnName("workspace_id").HasMaxLength(64);
        builder.Property(r => r.PrincipalId).HasColumnName("principal_id").HasMaxLength(64);
        builder.Property(r => r.AgentId).HasColumnName("agent_id").HasMaxLength(64);
        builder.Property(r => r.LlmId).HasColumnName("llm_id").HasMaxLength(128);
        builder.Property(r => r.ConversationId).HasColumnName("conversation_id").HasMaxLength(64);
        builder.Property(r => r.PromptTokens).HasColumnName("prompt_tokens");
        builder.Property(r => r.CompletionTokens).HasColumnName("completion_tokens");
        builder.Property(r => r.LatencyMs).HasColumnName("latency_ms");
        builder.Property(r => r.Outcome).HasColumnName("outcome").HasMaxLength(16)
            .HasConversion(outcome => OutcomeName(outcome), value => OutcomeOf(value));
        builder.Property(r => r.CreatedAt).HasColumnName("created_at");
        builder.Property(r => r.EndUser).HasColumnName("end_user").HasMaxLength(256);

        // Reports read one workspace over a range of days.
        builder.HasIndex(r => new { r.WorkspaceId, r.CreatedAt }).HasDatabaseName("ix_usage_records_workspace_id_created_at");
    }

    private static string OutcomeName(UsageOutcome outcome) => outcome switch
    {
        UsageOutcome.Completed => "completed",
        UsageOutcome.Failed => "failed",
        _ => "cancelled",
    };

    private static UsageOutcome OutcomeOf(string value) => value switch
    {
        "completed" => UsageOutcome.Completed,
        "failed" => UsageOutcome.Failed,
        _ => UsageOutcome.Cancelled,
    };
}
