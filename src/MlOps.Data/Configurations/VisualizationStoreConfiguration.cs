using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class VisualizationStoreConfiguration : IEntityTypeConfiguration<VisualizationStore>
{
    public void Configure(EntityTypeBuilder<VisualizationStore> builder)
    {
        builder.HasKey(e => new { e.ProjectId, e.InstanceId });
        builder.Property(e => e.InstanceId).HasMaxLength(200);
        builder.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
