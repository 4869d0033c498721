using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class ExperimentLinkConfiguration : IEntityTypeConfiguration<ExperimentLink>
{
    public void Configure(EntityTypeBuilder<ExperimentLink> builder)
    {
        builder.HasKey(e => new { e.ProjectId, e.ExperimentId });
        builder.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Experiment>().WithMany().HasForeignKey(e => e.ExperimentId).OnDelete(DeleteBehavior.Cascade);
    }
}
