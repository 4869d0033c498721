using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class BlobConfiguration : IEntityTypeConfiguration<Blob>
{
    public void Configure(EntityTypeBuilder<Blob> builder)
    {
        builder.BelongsToWorkspace();
        builder.HasKey(e => new { e.WorkspaceId, e.Sha256 });
        builder.Property(e => e.Sha256).HasMaxLength(64);
    }
}
