using System.Text.Json;
using System.Text.Json.Serialization;
using Devana.Domain.Quotas;
using Devana.Infrastructure.Quotas;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Devana.Infrastructure.Persistence.Configurations;

/// <summary>
/// Table <c>quota_holds</c>: one row per running completion, deleted when it settles. The janitor finds
/// expired ones through the <c>expires_at</c> index. The token charges are one JSON column: they are only
/// ever read back whole, to settle an expired hold.
/// </summary>
internal sealed partial class QuotaHoldConfiguration : IEntityTypeConfiguration<QuotaHold>
{
    private static readonly ValueConverter<List<QuotaCharge>, string> s_chargesConverter = new(
        charges => Write(charges),
        json => Read(json));

    private static readonly ValueComparer<List<QuotaCharge>> s_chargesComparer = new(
        (left, right) => left!.SequenceEqual(right!),
        charges => charges.Count,
        charges => charges.ToList());

    public void Configure(EntityTypeBuilder<QuotaHold> builder)
    {
        builder.ToTable("quota_holds");
        builder.HasKey(h => h.Id);
        builder.Ignore(h => h.TokenCharges);

        builder.Property(h => h.Id).HasColumnName("id").HasMaxLength(EntityIds.MaxLength);
        builder.Property(h => h.InstanceId).HasColumnName("instance_id").HasMaxLength(200);
        builder.Property(h => h.WorkspaceId).HasColumnName("workspace_id").HasMaxLength(EntityIds.MaxLength);
        builder.Property(h => h.PrincipalId).HasColumnName("principal_id").HasMaxLength(EntityIds.MaxLength);
        builder.Property(h => h.AgentId).HasColumnName("agent_id").HasMaxLength(EntityIds.MaxLength);
        builder.Property(h => h.LlmId).HasColumnName("llm_id").HasMaxLength(128);
        builder.Property(h => h.ConversationId).HasColumnName("conversation_id").HasMaxLength(EntityIds.MaxLength);
        builder.Property(h => h.MessageId).HasColumnName("message_id").HasMaxLength(EntityIds.MaxLength);
        builder.Property(h => h.EndUser).HasColumnName("end_user").HasMaxLength(256);
        builder.Property<List<QuotaCharge>>("_tokenCharges")
            .HasColumnName("token_charges")
            .HasConversion(s_chargesConverter, s_chargesComparer)
            .IsRequired();
        builder.Property(h => h.PromptTokens).HasColumnName("prompt_tokens");
        builder.Property(h => h.CompletionTokens).HasColumnName("completion_tokens");
        builder.Property(h => h.ExpiresAt).HasColumnName("expires_at");
        builder.Property(h => h.CreatedAt).HasColumnName("created_at");

        builder.HasIndex(h => h.ExpiresAt).HasDatabaseName("ix_quota_holds_expires_at");
    }

    private static string Write(List<QuotaCharge> charges) => JsonSerializer.Serialize(charges.ConvertAll(c => new StoredCharge(
        c.Key.WorkspaceId,
        QuotaCounter.LevelName(c.Level),
        c.Key.SubjectId,
        c.Kind.WireName(),
        c.Key.WindowStart.ToUnixTimeSeconds(),
        c.ResetsAt.ToUnixTimeSeconds(),
        c.Limit,
        c.Amount)), StoredCharges.Default.ListStoredCharge);

    private static List<QuotaCharge> Read(string json) => (JsonSerializer.Deserialize(json, StoredCharges.Default.ListStoredCharge) ?? [])
        .Select(c => new QuotaCharge(
            new QuotaCounterKey(c.WorkspaceId, QuotaCounter.LevelOf(c.Level), c.SubjectId, QuotaCounter.KindOf(c.Kind), DateTimeOffset.FromUnixTimeSeconds(c.WindowStart)),
            DateTimeOffset.FromUnixTimeSeconds(c.ResetsAt),
            c.Limit,
            c.Amount))
        .ToList();

    /// <summary>One charge as stored: the counter's key as <c>quota_counters</c> names it, its limit and the amount reserved.</summary>
    private sealed record StoredCharge(string WorkspaceId, string Level, string SubjectId, string Kind, long WindowStart, long ResetsAt, long Limit, long Amount);

    /// <summary>
    /// The charges' JSON, generated at build time with the serializer's default options (the same text as
    /// reflection gives): a completion writes a hold, and reflection-based serialization of its charges was
    /// 0.7% of its CPU (docs/performance.md, eleventh session).
    /// </summary>
    [JsonSerializable(typeof(List<StoredCharge>))]
    private sealed partial class StoredCharges : JsonSerializerContext;
}
