using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class PipelineScheduleConfiguration : IEntityTypeConfiguration<PipelineSchedule>
{
    public void Configure(EntityTypeBuilder<PipelineSchedule> builder)
    {
        builder.BelongsToWorkspace();
        builder.HasOne<Pipeline>().WithMany().HasForeignKey(e => e.PipelineId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(e => e.Name).HasMaxLength(300);
        builder.Property(e => e.CronExpression).HasMaxLength(200);
        builder.HasIndex(e => new { e.WorkspaceId, e.Name }).IsUnique();
    }
}
