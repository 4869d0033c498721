using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class MetricPointMarkConfiguration : IEntityTypeConfiguration<MetricPointMark>
{
    public void Configure(EntityTypeBuilder<MetricPointMark> builder)
    {
        builder.HasKey(e => e.UpperId);
        builder.Property(e => e.UpperId).ValueGeneratedNever();
    }
}
