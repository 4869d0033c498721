using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class IngestReceiptConfiguration : IEntityTypeConfiguration<IngestReceipt>
{
    public void Configure(EntityTypeBuilder<IngestReceipt> builder)
    {
        builder.HasKey(e => new { e.WorkspaceId, e.Digest });
        builder.Property(e => e.Digest).HasMaxLength(64);
        builder.HasIndex(e => e.CreatedAt);
    }
}
