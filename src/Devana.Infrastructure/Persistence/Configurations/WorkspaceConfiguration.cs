using Devana.Domain.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Devana.Infrastructure.Persistence.Configurations;

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.ToTable("Workspaces");
        builder.HasKey(workspace => workspace.Id);
        builder.Property(workspace => workspace.Id).HasMaxLength(EntityIds.MaxLength);
        builder.Property(workspace => workspace.Name).HasMaxLength(Workspace.NameMaxLength).IsRequired();
        builder.HasIndex(workspace => workspace.Name).IsUnique();
    }
}
