using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class ExperimentAssetConfiguration : IEntityTypeConfiguration<ExperimentAsset>
{
    public void Configure(EntityTypeBuilder<ExperimentAsset> builder)
    {
        builder.HasKey(e => new { e.ExperimentId, e.AssetId });
        builder.Property(e => e.AssetId).HasMaxLength(100);
        builder.HasOne<Experiment>().WithMany().HasForeignKey(e => e.ExperimentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Model>().WithMany().HasForeignKey(e => e.ModelId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<ArtifactVersion>().WithMany().HasForeignKey(e => e.ArtifactVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}
