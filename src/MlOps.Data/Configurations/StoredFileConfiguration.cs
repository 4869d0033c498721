using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> builder)
    {
        builder.HasKey(e => new { e.WorkspaceId, e.Path });
        builder.HasOne<Blob>().WithMany().HasForeignKey(e => new { e.WorkspaceId, e.BlobSha256 }).OnDelete(DeleteBehavior.Restrict);
    }
}
