using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class ExperimentConfiguration : IEntityTypeConfiguration<Experiment>
{
    public void Configure(EntityTypeBuilder<Experiment> builder)
    {
        builder.BelongsToWorkspace();
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Type).HasMaxLength(50);
        builder.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(e => e.Parameters).WithOne().HasForeignKey(p => p.ExperimentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.WorkspaceId, e.ProjectId, e.CreatedAt });
        builder.HasIndex(e => new { e.WorkspaceId, e.ProjectId, e.LastUpdate }); // the web UI's experiment table, newest first
        builder.HasIndex(e => new { e.WorkspaceId, e.Status });
        builder.HasIndex(e => e.ParentId);
        builder.HasOne<Pipeline>().WithMany().HasForeignKey(e => e.PipelineId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Stack>().WithMany().HasForeignKey(e => e.StackId).OnDelete(DeleteBehavior.SetNull);
    }
}
