using Devana.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Devana.Infrastructure.Persistence.Configurations;

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.ToTable("Conversations");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(64);
        builder.Property(c => c.WorkspaceId).HasMaxLength(64).IsRequired();
        builder.Property(c => c.OwnerId).HasMaxLength(64).IsRequired();
        builder.Property(c => c.AgentId).HasMaxLength(64).IsRequired();
        builder.Property(c => c.Title).HasMaxLength(Conversation.TitleMaxLength).IsRequired();
        builder.Ignore(c => c.Metadata);
        builder.Property<Dictionary<string, string>>("_metadata")
            .HasColumnName("Metadata")
            .HasConversion(JsonConversions.DictionaryConverter, JsonConversions.DictionaryComparer)
            .IsRequired();
        // Two turns that read the same conversation cannot both be stored (Conversation.LastSequence).
        builder.Property(c => c.LastSequence).IsConcurrencyToken();
        builder.Ignore(c => c.IsDeleted);
        builder.HasMany(c => c.Messages).WithOne().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(c => c.Messages).UsePropertyAccessMode(PropertyAccessMode.Field);

        // Lists are keyset-paged newest first within a workspace, per owner or per agent.
        builder.HasIndex(c => new { c.WorkspaceId, c.OwnerId, c.CreatedAt });
        builder.HasIndex(c => new { c.WorkspaceId, c.AgentId, c.CreatedAt });
    }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.ToTable("Messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).HasMaxLength(64);
        builder.Property(m => m.ConversationId).HasMaxLength(64).IsRequired();
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Content).IsRequired();
        builder.Property(m => m.ClientModel).HasMaxLength(128);
        builder.Property(m => m.FinishReason).HasMaxLength(32);
        builder.Property(m => m.Error).HasMaxLength(2000);
        builder.OwnsOne(m => m.Usage, usage =>
        {
            usage.Property(u => u.PromptTokens).HasColumnName("PromptTokens");
            usage.Property(u => u.CompletionTokens).HasColumnName("CompletionTokens");
            usage.Ignore(u => u.TotalTokens);
        });
        builder.Ignore(m => m.FileIds);
        builder.PrimitiveCollection<List<string>>("_fileIds").HasColumnName("FileIds");
        builder.Ignore(m => m.ToolCalls);
        builder.Property<List<ToolCall>>("_toolCalls")
            .HasColumnName("ToolCalls")
            .HasConversion(JsonConversions.ToolCallsConverter, JsonConversions.ToolCallsComparer)
            .IsRequired();
        builder.Property(m => m.ToolCallId).HasMaxLength(128);
        builder.HasIndex(m => new { m.ConversationId, m.Sequence, m.ChoiceIndex });
    }
}
