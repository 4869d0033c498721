using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class MetricSeriesConfiguration : IEntityTypeConfiguration<MetricSeries>
{
    public void Configure(EntityTypeBuilder<MetricSeries> builder)
    {
        builder.HasOne<Experiment>().WithMany().HasForeignKey(e => e.ExperimentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.ExperimentId, e.Metric, e.Variant }).IsUnique();
    }
}
