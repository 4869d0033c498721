using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class MetricTierConfiguration : IEntityTypeConfiguration<MetricTier>
{
    public void Configure(EntityTypeBuilder<MetricTier> builder)
    {
        builder.HasKey(e => new { e.SeriesId, e.Bucket });
        builder.HasOne<MetricSeries>().WithMany().HasForeignKey(e => e.SeriesId).OnDelete(DeleteBehavior.Cascade);
    }
}
