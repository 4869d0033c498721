using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MlOps.Data.Entities;

namespace MlOps.Data.Configurations;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.BelongsToWorkspace();
        builder.Property(e => e.Name).HasMaxLength(1000);
        builder.HasIndex(e => new { e.WorkspaceId, e.Name }).IsUnique();
        builder.HasIndex(e => e.ParentId);
        builder.Property(e => e.Properties).IsKeyValueJson();
    }
}
