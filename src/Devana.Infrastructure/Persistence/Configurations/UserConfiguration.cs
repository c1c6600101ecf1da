using Devana.Domain.Users;
using Devana.Domain.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Devana.Infrastructure.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("Users");
        builder.HasKey(user => user.Id);
        builder.Property(user => user.Id).HasMaxLength(EntityIds.MaxLength);
        builder.Property(user => user.WorkspaceId).HasMaxLength(EntityIds.MaxLength).IsRequired();
        builder.Property(user => user.Email).HasMaxLength(User.EmailMaxLength).IsRequired();
        builder.Property(user => user.NormalizedEmail).HasMaxLength(User.EmailMaxLength).IsRequired();
        builder.Property(user => user.Name).HasMaxLength(User.NameMaxLength);
        builder.Property(user => user.Role).HasConversion(EnumNames<UserRole>.Converter).HasMaxLength(16).IsRequired();
        builder.Property(user => user.PasswordHash).HasMaxLength(1024);
        builder.Ignore(user => user.IsWorkspaceAdmin);

        // Emails are unique per workspace (the login page asks for the workspace), so that one
        // workspace cannot learn which addresses exist in another.
        builder.HasIndex(user => new { user.WorkspaceId, user.NormalizedEmail }).IsUnique();
        builder.HasIndex(user => new { user.WorkspaceId, user.CreatedAt, user.Id });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(user => user.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
    }
}
