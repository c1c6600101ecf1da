using Devana.Domain.Files;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Devana.Infrastructure.Persistence.Configurations;

internal sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> builder)
    {
        builder.ToTable("Files");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).HasMaxLength(64);
        builder.Property(f => f.WorkspaceId).HasMaxLength(64).IsRequired();
        builder.Property(f => f.OwnerId).HasMaxLength(64).IsRequired();
        builder.Property(f => f.Filename).HasMaxLength(StoredFile.FilenameMaxLength).IsRequired();
        builder.Property(f => f.ContentType).HasMaxLength(128).IsRequired();
        builder.Property(f => f.Sha256).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(f => f.StorageKey).HasMaxLength(64).IsRequired();
        builder.Property(f => f.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.Error).HasMaxLength(StoredFile.ErrorMaxLength);
        builder.HasMany(f => f.Chunks).WithOne().HasForeignKey(c => c.FileId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(f => f.Chunks).UsePropertyAccessMode(PropertyAccessMode.Field);

        // The caller's own files are keyset-paged newest first.
        builder.HasIndex(f => new { f.WorkspaceId, f.OwnerId, f.CreatedAt });
    }
}

internal sealed class FileChunkConfiguration : IEntityTypeConfiguration<FileChunk>
{
    public void Configure(EntityTypeBuilder<FileChunk> builder)
    {
        builder.ToTable("FileChunks");
        builder.HasKey(c => new { c.FileId, c.Index });
        builder.Property(c => c.FileId).HasMaxLength(64);
        builder.Property(c => c.Index).ValueGeneratedNever();
        builder.Property(c => c.Text).IsRequired();
        builder.Ignore(c => c.End);
    }
}
