using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class WorkerConfiguration : IEntityTypeConfiguration<Worker>
{
    public void Configure(EntityTypeBuilder<Worker> builder)
    {
        builder.BelongsToWorkspace();
        builder.HasKey(e => new { e.WorkspaceId, e.Name });
        builder.Property(e => e.Name).HasMaxLength(300);
        builder.HasIndex(e => new { e.WorkspaceId, e.ExpiresAt });
    }
}
