using System.Text.Json;
using Devana.Domain.Agents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Devana.Infrastructure.Persistence.Configurations;

/// <summary>
/// Table <c>agents</c>. The primary key is (workspace_id, id): an agent's id is unique in its workspace
/// only, and the key is also the uniqueness guarantee behind 409 <c>already_exists</c>. Soft-deleted rows
/// stay (deleted_at set) so that their ids are not reused; there is no global query filter, the
/// Application filters on deleted_at where it means to (see <c>AgentLookup</c>, <c>Agent.UsableBy</c>).
/// </summary>
internal sealed class AgentConfiguration : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> builder)
    {
        builder.ToTable("agents");
        builder.HasKey(a => new { a.WorkspaceId, a.Id });
        builder.Ignore(a => a.IsDeleted);

        builder.Property(a => a.WorkspaceId).HasColumnName("workspace_id").HasMaxLength(64);
        builder.Property(a => a.Id).HasColumnName("id").HasMaxLength(64);
        builder.Property(a => a.OwnerId).HasColumnName("owner_id").HasMaxLength(64);
        builder.Property(a => a.Name).HasColumnName("name").HasMaxLength(100);
        builder.Property(a => a.Description).HasColumnName("description").HasMaxLength(512);
        builder.Property(a => a.Instructions).HasColumnName("instructions");
        builder.Property(a => a.Model).HasColumnName("model").HasMaxLength(128);
        builder.Property(a => a.AllowedModels).HasColumnName("allowed_models")
            .HasConversion(JsonColumn.ListConverter, JsonColumn.ListComparer);
        builder.Property(a => a.FallbackModels).HasColumnName("fallback_models")
            .HasConversion(JsonColumn.ListConverter, JsonColumn.ListComparer);
        builder.Property(a => a.Temperature).HasColumnName("temperature");
        builder.Property(a => a.TopP).HasColumnName("top_p");
        builder.Property(a => a.MaxTokens).HasColumnName("max_tokens");
        builder.Property(a => a.Lang).HasColumnName("lang").HasMaxLength(2)
            .HasConversion(lang => lang!.Value, value => LanguageCode.Create(value));
        builder.Property(a => a.WelcomeMessage).HasColumnName("welcome_message").HasMaxLength(2000);
        builder.Property(a => a.Visibility).HasColumnName("visibility").HasMaxLength(16)
            .HasConversion(visibility => visibility == AgentVisibility.Workspace ? "workspace" : "private",
                value => value == "workspace" ? AgentVisibility.Workspace : AgentVisibility.Private);
        builder.Property(a => a.FileIds).HasColumnName("file_ids")
            .HasConversion(JsonColumn.ListConverter, JsonColumn.ListComparer);
        builder.Property(a => a.Metadata).HasColumnName("metadata")
            .HasConversion(JsonColumn.MapConverter, JsonColumn.MapComparer);
        builder.Property(a => a.Tools).HasColumnName("tools")
            .HasConversion(JsonColumn.ToolsConverter, JsonColumn.ToolsComparer);
        builder.Property(a => a.McpServers).HasColumnName("mcp_servers")
            .HasConversion(JsonColumn.McpServersConverter, JsonColumn.McpServersComparer);
        builder.Property(a => a.MaxToolRounds).HasColumnName("max_tool_rounds");
        builder.Property(a => a.CreatedAt).HasColumnName("created_at");
        builder.Property(a => a.UpdatedAt).HasColumnName("updated_at");
        builder.Property(a => a.DeletedAt).HasColumnName("deleted_at");

        // Every other column is named as the field is on the wire (snake_case), so a new setting of plain type
        // needs no line here.
        foreach (var property in builder.Metadata.GetDeclaredProperties().Where(p => p.GetColumnName() == p.Name))
        {
            property.SetColumnName(JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name));
        }

        // Lists are newest first within a workspace: (created_at, id) is the keyset of their cursor.
        builder.HasIndex(a => new { a.WorkspaceId, a.CreatedAt, a.Id }).HasDatabaseName("ix_agents_workspace_id_created_at_id");
    }
}
