using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class WorkerStatConfiguration : IEntityTypeConfiguration<WorkerStat>
{
    public void Configure(EntityTypeBuilder<WorkerStat> builder)
    {
        builder.BelongsToWorkspace();
        builder.Property(e => e.Worker).HasMaxLength(300);
        builder.Property(e => e.Category).HasMaxLength(50);
        builder.Property(e => e.Metric).HasMaxLength(100);
        builder.Property(e => e.Variant).HasMaxLength(50);
        builder.HasIndex(e => new { e.WorkspaceId, e.Timestamp });
        builder.HasIndex(e => new { e.WorkspaceId, e.Worker, e.Timestamp });
        builder.HasIndex(e => e.Timestamp);
    }
}
