using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class QueueMetricConfiguration : IEntityTypeConfiguration<QueueMetric>
{
    public void Configure(EntityTypeBuilder<QueueMetric> builder)
    {
        builder.BelongsToWorkspace();
        builder.HasOne<Queue>().WithMany().HasForeignKey(e => e.QueueId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.WorkspaceId, e.Timestamp });
        builder.HasIndex(e => new { e.QueueId, e.Timestamp });
        builder.HasIndex(e => e.Timestamp);
    }
}
