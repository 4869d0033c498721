using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class ExperimentParameterConfiguration : IEntityTypeConfiguration<ExperimentParameter>
{
    public void Configure(EntityTypeBuilder<ExperimentParameter> builder)
    {
        builder.HasKey(e => new { e.ExperimentId, e.Kind, e.Section, e.Name });
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
    }
}
