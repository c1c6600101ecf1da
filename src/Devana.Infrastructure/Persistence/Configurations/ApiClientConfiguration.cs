using Devana.Domain.Clients;
using Devana.Domain.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Devana.Infrastructure.Persistence.Configurations;

internal sealed class ApiClientConfiguration : IEntityTypeConfiguration<ApiClient>
{
    public void Configure(EntityTypeBuilder<ApiClient> builder)
    {
        builder.ToTable("ApiClients");
        builder.HasKey(client => client.Id);
        builder.Property(client => client.Id).HasMaxLength(EntityIds.MaxLength);
        builder.Property(client => client.WorkspaceId).HasMaxLength(EntityIds.MaxLength).IsRequired();
        builder.Property(client => client.ClientId).HasMaxLength(ApiClient.ClientIdMaxLength).IsRequired();
        builder.Property(client => client.Name).HasMaxLength(ApiClient.NameMaxLength).IsRequired();
        builder.Property(client => client.Type).HasConversion(EnumNames<ClientType>.Converter).HasMaxLength(16).IsRequired();

        // Scope tokens and URIs never contain a space, so a space-separated column is exact and
        // readable in both providers.
        builder.Ignore(client => client.Scopes);
        builder.Property<List<string>>("_scopes").HasColumnName("Scopes")
            .HasConversion(SpaceSeparated.Converter, SpaceSeparated.Comparer).HasMaxLength(1000).IsRequired();
        builder.Ignore(client => client.RedirectUris);
        builder.Property<List<string>>("_redirectUris").HasColumnName("RedirectUris")
            .HasConversion(SpaceSeparated.Converter, SpaceSeparated.Comparer).IsRequired();

        builder.HasIndex(client => client.ClientId).IsUnique();
        builder.HasIndex(client => new { client.WorkspaceId, client.CreatedAt, client.Id });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(client => client.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
    }
}
