using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class ArtifactVersionConfiguration : IEntityTypeConfiguration<ArtifactVersion>
{
    public void Configure(EntityTypeBuilder<ArtifactVersion> builder)
    {
        builder.HasOne<Artifact>().WithMany().HasForeignKey(e => e.ArtifactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Experiment>().WithMany().HasForeignKey(e => e.ExperimentId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(e => e.Version).HasMaxLength(100);
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(e => new { e.ArtifactId, e.Version }).IsUnique();
    }
}
