using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class PipelineDeploymentConfiguration : IEntityTypeConfiguration<PipelineDeployment>
{
    public void Configure(EntityTypeBuilder<PipelineDeployment> builder)
    {
        builder.BelongsToWorkspace();
        builder.HasOne<Pipeline>().WithMany().HasForeignKey(e => e.PipelineId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Stack>().WithMany().HasForeignKey(e => e.StackId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(e => e.Status).HasMaxLength(50);
    }
}
