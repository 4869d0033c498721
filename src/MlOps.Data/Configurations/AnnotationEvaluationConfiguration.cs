using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class AnnotationEvaluationConfiguration : IEntityTypeConfiguration<AnnotationEvaluation>
{
    public void Configure(EntityTypeBuilder<AnnotationEvaluation> builder)
    {
        builder.HasKey(e => new { e.ProjectId, e.Id });
        builder.Property(e => e.Id).HasMaxLength(200);
        builder.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
