using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class ExperimentEventConfiguration : IEntityTypeConfiguration<ExperimentEvent>
{
    public void Configure(EntityTypeBuilder<ExperimentEvent> builder)
    {
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
        builder.HasOne<Experiment>().WithMany().HasForeignKey(e => e.ExperimentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.ExperimentId, e.Kind, e.Iteration });
    }
}
