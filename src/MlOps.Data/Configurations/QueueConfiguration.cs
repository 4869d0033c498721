using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class QueueConfiguration : IEntityTypeConfiguration<Queue>
{
    public void Configure(EntityTypeBuilder<Queue> builder)
    {
        builder.BelongsToWorkspace();
        builder.Property(e => e.Name).HasMaxLength(200);
        builder.HasIndex(e => new { e.WorkspaceId, e.Name }).IsUnique();
    }
}
