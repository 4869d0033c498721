using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class AnnotationConfiguration : IEntityTypeConfiguration<Annotation>
{
    public void Configure(EntityTypeBuilder<Annotation> builder)
    {
        builder.HasKey(e => new { e.ProjectId, e.Id });
        builder.Property(e => e.Id).HasMaxLength(200);
        builder.Property(e => e.InputId).HasMaxLength(200);
        builder.HasOne<Input>().WithMany().HasForeignKey(e => new { e.ProjectId, e.InputId }).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.ProjectId, e.InputId });
        builder.HasIndex(e => new { e.ProjectId, e.CreatedAt });
    }
}
