using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class QueueEntryConfiguration : IEntityTypeConfiguration<QueueEntry>
{
    public void Configure(EntityTypeBuilder<QueueEntry> builder)
    {
        builder.HasOne<Queue>().WithMany().HasForeignKey(e => e.QueueId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Experiment>().WithMany().HasForeignKey(e => e.ExperimentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.QueueId, e.Position });
        // An experiment waits in at most one queue at a time.
        builder.HasIndex(e => e.ExperimentId).IsUnique();
    }
}
